using Delivery.Contracts.Clouddriver;
using MassTransit;

namespace Delivery.Clouddriver.Stages.Support;

/// <summary>
/// Reads a cluster's server groups from clouddriver over bus request/reply (<see cref="GetClusterServerGroups"/>).
/// A task runs inside the engine's handling of a message, so the read is bounded by <see cref="Timeout"/>.
/// </summary>
internal sealed class ClusterInventory(IBus bus)
{
    /// <summary>How long a task waits for clouddriver's answer before it fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The cluster's server groups, oldest first.</summary>
    /// <exception cref="StageInputException">Clouddriver did not answer in time or rejected the request (e.g. an unknown account).</exception>
    public async Task<IReadOnlyList<ClusterServerGroup>> ServerGroupsAsync(string account, string application, string cluster, CancellationToken cancellationToken)
    {
        var client = bus.CreateRequestClient<GetClusterServerGroups>(RequestTimeout.After(s: (int)Timeout.TotalSeconds));
        ClusterServerGroups reply;
        try
        {
            reply = (await client.GetResponse<ClusterServerGroups>(new GetClusterServerGroups(account, application, cluster), cancellationToken)).Message;
        }
        catch (RequestTimeoutException)
        {
            throw new StageInputException($"Clouddriver did not answer within {Timeout.TotalSeconds} s when asked for the server groups of cluster '{cluster}' in account '{account}'.");
        }
        return reply.Error is { } error ? throw new StageInputException(error) : reply.ServerGroups;
    }
}
