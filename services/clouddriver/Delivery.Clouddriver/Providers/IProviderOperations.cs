using System.Text.Json.Nodes;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Providers;

/// <summary>
/// Operations a provider adds beyond the common set (Kubernetes' manifest operations): the runner hands it the commands
/// of its <see cref="Types"/>, with the same once-per-id and result rules, and <c>POST /clouddriver/ops/{type}</c> serves them.
/// </summary>
public interface IProviderOperations
{
    /// <summary>Operation names (as the ops endpoint names them) and their command types.</summary>
    IReadOnlyDictionary<string, Type> Types { get; }

    /// <summary>Runs one of <see cref="Types"/>; throws <see cref="Operations.OperationException"/> as providers do.</summary>
    Task<JsonObject> RunAsync(IClouddriverOperation operation, CancellationToken cancellationToken);
}

/// <summary>What <c>GET /credentials</c> shows of an account beyond its name and health.</summary>
/// <param name="Namespaces">The namespaces the account may use (Kubernetes); null: any.</param>
/// <param name="Kinds">The kinds the account serves (Kubernetes).</param>
/// <param name="UnhealthyReason">Why the account cannot be used now; null when healthy.</param>
public sealed record AccountDetails(IReadOnlyList<string>? Namespaces, IReadOnlyList<string>? Kinds, string? UnhealthyReason);
