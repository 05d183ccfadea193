using Delivery.Clouddriver.Providers;

namespace Delivery.Clouddriver.Local;

/// <summary>The read API's views of the local cloud's live state (what a caching agent writes, or a standalone process answers).</summary>
public static class LocalViews
{
    /// <summary>Every live server group of every local account.</summary>
    public static IEnumerable<ServerGroupView> ServerGroups(LocalCloud cloud) =>
        cloud.ServerGroups.Values
            .Where(g => !g.Destroyed)
            .OrderBy(g => g.Moniker.Cluster, StringComparer.Ordinal).ThenBy(g => g.Moniker.Sequence)
            .Select(View);

    /// <summary>Every running load balancer of every local account.</summary>
    public static IEnumerable<LoadBalancerView> LoadBalancers(LocalCloud cloud) =>
        cloud.LoadBalancers.Values.OrderBy(b => b.Name, StringComparer.Ordinal).Select(b => View(cloud, b));

    public static ServerGroupView View(LocalServerGroup group)
    {
        var disabled = group.Disabled;
        var moniker = group.Moniker;
        return new ServerGroupView(
            group.Name,
            moniker.Cluster,
            group.Account,
            LocalCloudProvider.Region,
            LocalCloudProvider.Name,
            new MonikerView(moniker.App, moniker.Cluster, moniker.Stack, moniker.Detail, moniker.Sequence),
            disabled,
            group.Capacity,
            [.. group.Instances.Select(i => new InstanceView(i.Id, i.Id, i.Port, i.Pid, i.Health(disabled).ToString(), i.LaunchTime.ToUnixTimeMilliseconds(), i.ExitCode))],
            group.LoadBalancers,
            group.CreatedTime.ToUnixTimeMilliseconds(),
            group.Spec.Artifact,
            group.Spec.Env,
            group.HealthCheckPath);
    }

    public static LoadBalancerView View(LocalCloud cloud, LocalLoadBalancer balancer)
    {
        var table = balancer.Table();
        var members = cloud.ServerGroups.Values
            .Where(g => g.Account == balancer.Account && !g.Destroyed && g.LoadBalancers.Contains(balancer.Name))
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => new LoadBalancerServerGroupView(g.Name, g.Disabled, g.UpCount, Math.Round(table.PercentOf(g.Name), 2)));
        return new LoadBalancerView(balancer.Name, balancer.Account, LocalCloudProvider.Region, LocalCloudProvider.Name, balancer.Url, balancer.Weights, [.. members]);
    }
}
