using Delivery.Clouddriver.Providers;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// The local cloud's inventory as the read API serves it: live in a standalone process, a Redis cache written by the
/// hosting replica (Clouddriver's caching agents) when replicas share Redis, so every replica answers the same.
/// </summary>
public interface ILocalInventory
{
    IReadOnlyList<ServerGroupView> ServerGroups(string account, string application);

    IReadOnlyList<LoadBalancerView> LoadBalancers(string account, string application);

    /// <summary>Makes the host's current state visible to every reader before returning (no-op when reads are live or this replica is no host).</summary>
    Task PublishAsync(CancellationToken cancellationToken);
}

/// <summary>Reads straight from the live state of this process, so it is never stale.</summary>
public sealed class LiveLocalInventory(LocalCloud cloud) : ILocalInventory
{
    public IReadOnlyList<ServerGroupView> ServerGroups(string account, string application) =>
        [.. LocalViews.ServerGroups(cloud).Where(g => g.Account == account && g.Moniker.App == application)];

    public IReadOnlyList<LoadBalancerView> LoadBalancers(string account, string application) =>
        [.. LocalViews.LoadBalancers(cloud).Where(b => b.Account == account && Naming.FriggaNames.Parse(b.Name)?.App == application)];

    public Task PublishAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
