using System.Globalization;

namespace Delivery.Clouddriver.Naming;

/// <summary>
/// Spinnaker's moniker: the parts of a Frigga name <c>app-stack-detail-v000</c>.
/// <see cref="Cluster"/> is the name without the version; <see cref="Sequence"/> is null for a cluster
/// or load balancer name.
/// </summary>
public sealed record Moniker(string App, string? Stack, string? Detail, int? Sequence)
{
    /// <summary><c>app</c>, <c>app-stack</c>, <c>app--detail</c> or <c>app-stack-detail</c> (Frigga's cluster name).</summary>
    public string Cluster => (Stack, Detail) switch
    {
        (null or "", null or "") => App,
        (_, null or "") => $"{App}-{Stack}",
        _ => $"{App}-{Stack}-{Detail}",
    };

    /// <summary>The server group name: the cluster plus <c>-v</c> and the sequence in at least three digits.</summary>
    public string ServerGroup => Sequence is { } s
        ? $"{Cluster}-v{s.ToString("000", CultureInfo.InvariantCulture)}"
        : throw new InvalidOperationException($"'{Cluster}' has no sequence, so it names a cluster, not a server group.");
}
