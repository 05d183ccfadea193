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

    /// <summary>Whether the account can be operated on now (shown by <c>GET /credentials</c>).</summary>
    bool IsHealthy(CloudAccount account);

    /// <summary>Creates the cluster's next server group and waits until all its instances are Up.</summary>
    Task<JsonObject> CreateServerGroupAsync(CloudAccount account, CreateServerGroup operation, CancellationToken cancellationToken);

    /// <summary>Sets the capacity and waits until exactly <c>desired</c> instances run, all Up.</summary>
    Task<JsonObject> ResizeServerGroupAsync(CloudAccount account, ResizeServerGroup operation, CancellationToken cancellationToken);

    /// <summary>Puts the server group into its load balancers' traffic.</summary>
    Task<JsonObject> EnableServerGroupAsync(CloudAccount account, EnableServerGroup operation, CancellationToken cancellationToken);

    /// <summary>Takes the server group out of its load balancers' traffic, keeping its instances.</summary>
    Task<JsonObject> DisableServerGroupAsync(CloudAccount account, DisableServerGroup operation, CancellationToken cancellationToken);

    /// <summary>Stops every instance and forgets the server group.</summary>
    Task<JsonObject> DestroyServerGroupAsync(CloudAccount account, DestroyServerGroup operation, CancellationToken cancellationToken);

    /// <summary>Stops the instances (their server groups replace them).</summary>
    Task<JsonObject> TerminateInstancesAsync(CloudAccount account, TerminateInstances operation, CancellationToken cancellationToken);

    /// <summary>Creates the load balancer or updates its weights.</summary>
    Task<JsonObject> UpsertLoadBalancerAsync(CloudAccount account, UpsertLoadBalancer operation, CancellationToken cancellationToken);

    /// <summary>Removes the load balancer; its server groups keep running.</summary>
    Task<JsonObject> DeleteLoadBalancerAsync(CloudAccount account, DeleteLoadBalancer operation, CancellationToken cancellationToken);

    /// <summary>The server groups of <paramref name="application"/> in the account, as they are now.</summary>
    IReadOnlyList<ServerGroupView> ServerGroups(CloudAccount account, string application);

    /// <summary>The load balancers of <paramref name="application"/> (by their Frigga app part) in the account.</summary>
    IReadOnlyList<LoadBalancerView> LoadBalancers(CloudAccount account, string application);

    /// <summary>The instance's recent output, or null when the account has no such instance.</summary>
    ConsoleOutputView? ConsoleOutput(CloudAccount account, string instanceId);

    /// <summary>The account's provider-specific details for <c>GET /credentials</c>; null when there are none.</summary>
    AccountDetails? Describe(CloudAccount account) => null;
}
