using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Providers;

namespace Delivery.Clouddriver.Local;

/// <summary>The local provider's inventory: <see cref="ILocalInventory"/> (live in standalone, the Redis cache between replicas).</summary>
public sealed partial class LocalCloudProvider
{
    public IReadOnlyList<ServerGroupView> ServerGroups(CloudAccount account, string application) => inventory.ServerGroups(account.Name, application);

    public IReadOnlyList<LoadBalancerView> LoadBalancers(CloudAccount account, string application) => inventory.LoadBalancers(account.Name, application);

    /// <summary>Only the hosting replica has the processes' output; elsewhere the instance is not found.</summary>
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
}
