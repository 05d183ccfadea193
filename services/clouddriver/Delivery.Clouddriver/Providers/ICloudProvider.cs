using System.Text.Json.Nodes;
using Delivery.Clouddriver.Accounts;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Providers;

/// <summary>
/// One cloud (local, kubernetes ...): its inventory and its operations, for the accounts it serves.
/// Operations return once the cloud reflects them (the provider's inventory included) and return the
/// operation's outputs; they throw <see cref="Operations.OperationException"/> with a user-facing
/// message when they cannot. Input checks common to every provider (account, names, capacity) are
/// done before a provider is called.
/// </summary>
public interface ICloudProvider
{
    /// <summary>The provider's name, as accounts' <c>cloudProvider</c> names it.</summary>
    string CloudProvider { get; }

    bool IsHealthy(CloudAccount account);

    Task<JsonObject> CreateServerGroupAsync(CloudAccount account, CreateServerGroup operation, CancellationToken cancellationToken);

    Task<JsonObject> ResizeServerGroupAsync(CloudAccount account, ResizeServerGroup operation, CancellationToken cancellationToken);

    Task<JsonObject> EnableServerGroupAsync(CloudAccount account, EnableServerGroup operation, CancellationToken cancellationToken);

    Task<JsonObject> DisableServerGroupAsync(CloudAccount account, DisableServerGroup operation, CancellationToken cancellationToken);

    Task<JsonObject> DestroyServerGroupAsync(CloudAccount account, DestroyServerGroup operation, CancellationToken cancellationToken);

    Task<JsonObject> TerminateInstancesAsync(CloudAccount account, TerminateInstances operation, CancellationToken cancellationToken);

    Task<JsonObject> UpsertLoadBalancerAsync(CloudAccount account, UpsertLoadBalancer operation, CancellationToken cancellationToken);

    Task<JsonObject> DeleteLoadBalancerAsync(CloudAccount account, DeleteLoadBalancer operation, CancellationToken cancellationToken);

    /// <summary>The server groups of <paramref name="application"/> in the account, as they are now.</summary>
    IReadOnlyList<ServerGroupView> ServerGroups(CloudAccount account, string application);

    /// <summary>The load balancers of <paramref name="application"/> (by their Frigga app part) in the account.</summary>
    IReadOnlyList<LoadBalancerView> LoadBalancers(CloudAccount account, string application);

    /// <summary>The instance's recent output, or null when the account has no such instance.</summary>
    ConsoleOutputView? ConsoleOutput(CloudAccount account, string instanceId);
}
