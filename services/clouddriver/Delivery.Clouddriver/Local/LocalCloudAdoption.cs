using Delivery.Clouddriver.Naming;
using Delivery.Contracts.Clouddriver;
using Microsoft.Extensions.Logging;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// What a replica does when it starts hosting the local cloud another replica hosted: the cloud outlives the replica
/// that ran it, as a real cloud outlives a clouddriver. It stops whatever the dead host left running (pid files), then
/// recreates every server group of the cached inventory with its name, capacity, enabled state and load balancers (new
/// instances, started and health-checked as usual) and every load balancer on its port, so its URL stays the same.
/// </summary>
public sealed class LocalCloudAdoption(LocalCloud cloud, RedisLocalInventory inventory, ILogger<LocalCloudAdoption> logger)
{
    public async Task AdoptAsync(CancellationToken cancellationToken)
    {
        var stopped = cloud.PidFiles.CleanUpOrphans();
        var entries = await inventory.ReadAllAsync();
        foreach (var balancer in entries.Select(e => e.LoadBalancer).OfType<Providers.LoadBalancerView>())
        {
            if (cloud.LoadBalancers.ContainsKey((balancer.Account, balancer.Name)) || FriggaNames.Parse(balancer.Name) is not { } moniker)
            {
                continue;
            }
            var port = balancer.Url is { } url ? new Uri(url).Port : 0;
            cloud.LoadBalancers[(balancer.Account, balancer.Name)] = await StartBalancerAsync(balancer, moniker, port, cancellationToken);
        }
        foreach (var view in entries.Select(e => e.ServerGroup).OfType<Providers.ServerGroupView>())
        {
            if (cloud.ServerGroups.ContainsKey((view.Account, view.Name)) || FriggaNames.ParseServerGroup(view.Name) is not { } moniker || view.Artifact is null)
            {
                continue;
            }
            var spec = new CreateServerGroup($"adopted:{view.Name}", view.Account, moniker.App, view.Capacity, view.Artifact,
                moniker.Stack, moniker.Detail, view.Env, view.HealthCheckPath, view.LoadBalancers);
            // Instance ids go on from the last one shown, so an id never names two processes.
            var nextIndex = view.Instances.Select(i => int.TryParse(i.Id[(i.Id.LastIndexOf("-i", StringComparison.Ordinal) + 2)..], out var n) ? n + 1 : 0).DefaultIfEmpty(0).Max();
            var group = new LocalServerGroup(view.Account, moniker, spec, DateTimeOffset.FromUnixTimeMilliseconds(view.CreatedTime), nextIndex) { Disabled = view.Disabled };
            if (cloud.ServerGroups.TryAdd((view.Account, view.Name), group))
            {
                cloud.Reconcile(group);
            }
        }
        cloud.Changed();
        logger.LogWarning("Adopted the local cloud: {ServerGroups} server groups and {LoadBalancers} load balancers; stopped {Orphans} processes left by the previous host",
            cloud.ServerGroups.Count, cloud.LoadBalancers.Count, stopped);
    }

    private async Task<LocalLoadBalancer> StartBalancerAsync(Providers.LoadBalancerView view, Moniker moniker, int port, CancellationToken cancellationToken)
    {
        // A host that lost its lease but still runs holds the port until it notices and steps down (within a lease).
        const int Attempts = 60;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await LocalLoadBalancer.StartAsync(view.Account, moniker, attempt < Attempts ? port : 0, view.Weights, cloud, cancellationToken);
            }
            catch (IOException e) when (attempt < Attempts)
            {
                logger.LogDebug(e, "Port {Port} of load balancer {Name} is still taken", port, view.Name);
                await Task.Delay(250, cancellationToken);
            }
        }
    }
}
