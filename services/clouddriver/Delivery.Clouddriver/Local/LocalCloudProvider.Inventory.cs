using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Providers;

namespace Delivery.Clouddriver.Local;

/// <summary>The local provider's inventory: read straight from the live state, so it is never stale.</summary>
public sealed partial class LocalCloudProvider
{
    public IReadOnlyList<ServerGroupView> ServerGroups(CloudAccount account, string application) =>
        [.. cloud.ServerGroups.Values
            .Where(g => g.Account == account.Name && g.Moniker.App == application && !g.Destroyed)
            .OrderBy(g => g.Moniker.Cluster, StringComparer.Ordinal).ThenBy(g => g.Moniker.Sequence)
            .Select(g => View(account, g))];

    public IReadOnlyList<LoadBalancerView> LoadBalancers(CloudAccount account, string application) =>
        [.. cloud.LoadBalancers.Values
            .Where(b => b.Account == account.Name && b.Moniker.App == application)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .Select(b => View(account, b))];

    public ConsoleOutputView? ConsoleOutput(CloudAccount account, string instanceId)
    {
        if (FindInstance(account, instanceId) is not { } found)
        {
            return null;
        }
        var (stdout, stdoutTruncated) = found.Instance.Stdout.Read();
        var (stderr, stderrTruncated) = found.Instance.Stderr.Read();
        return new ConsoleOutputView(instanceId, [new("stdout", stdout, stdoutTruncated), new("stderr", stderr, stderrTruncated)]);
    }

    private static ServerGroupView View(CloudAccount account, LocalServerGroup group)
    {
        var disabled = group.Disabled;
        var moniker = group.Moniker;
        return new ServerGroupView(
            group.Name,
            moniker.Cluster,
            account.Name,
            Region,
            Name,
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

    private LoadBalancerView View(CloudAccount account, LocalLoadBalancer balancer)
    {
        var table = balancer.Table();
        var members = cloud.ServerGroups.Values
            .Where(g => g.Account == account.Name && !g.Destroyed && g.LoadBalancers.Contains(balancer.Name))
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => new LoadBalancerServerGroupView(g.Name, g.Disabled, g.UpCount, Math.Round(table.PercentOf(g.Name), 2)));
        return new LoadBalancerView(balancer.Name, account.Name, Region, Name, balancer.Url, balancer.Weights, [.. members]);
    }
}
