using Delivery.Clouddriver.Accounts;
using Delivery.Contracts.Clouddriver;
using MassTransit;

namespace Delivery.Clouddriver.Api;

/// <summary>
/// Answers <see cref="GetClusterServerGroups"/> from clouddriver's own inventory (never from another
/// service's keys). An unknown account is answered with <see cref="ClusterServerGroups.Error"/>, not a fault,
/// so a stage can fail with a message a user can act on.
/// </summary>
public sealed class ClusterServerGroupsConsumer(AccountRegistry accounts) : IConsumer<GetClusterServerGroups>
{
    public Task Consume(ConsumeContext<GetClusterServerGroups> context)
    {
        var request = context.Message;
        if (!accounts.TryGet(request.Account ?? "", out var account))
        {
            return context.RespondAsync(new ClusterServerGroups(request.Account ?? "", request.Cluster, [],
                $"Unknown account '{request.Account}'; known accounts: {string.Join(", ", accounts.Accounts.Select(a => a.Name))}."));
        }
        var groups = accounts.ProviderOf(account).ServerGroups(account, request.Application)
            .Where(g => g.Cluster == request.Cluster)
            .OrderBy(g => g.Moniker.Sequence)
            .Select(g => new ClusterServerGroup(
                g.Name,
                g.Disabled,
                g.Capacity,
                g.Instances.Count(i => i.Health is "Up" or "OutOfService"),
                g.Instances.Count,
                g.CreatedTime,
                g.LoadBalancers,
                g.Artifact,
                g.Env,
                g.HealthCheckPath))
            .ToList();
        return context.RespondAsync(new ClusterServerGroups(account.Name, request.Cluster, groups));
    }
}
