namespace Delivery.Clouddriver.Naming;

/// <summary>
/// Hands out server group sequence numbers per cluster. A number is never handed out twice for the
/// same account and cluster, even after its server group is destroyed (Spinnaker reuses; we do not,
/// so a name always means one deployment).
/// </summary>
public interface ISequenceStore
{
    /// <summary>The next sequence (0, 1, 2 ...) of <paramref name="cluster"/> in <paramref name="account"/>.</summary>
    Task<int> NextAsync(string account, string cluster, CancellationToken cancellationToken);

    /// <summary>
    /// The sequence of the server group operation <paramref name="operationId"/> creates: the next one on its first run,
    /// the same one on a run taken over from a replica that died, so a retried operation never creates a second server group.
    /// A single process never runs an operation twice, so by default this is <see cref="NextAsync"/>.
    /// </summary>
    Task<int> ReserveAsync(string account, string cluster, string operationId, CancellationToken cancellationToken) =>
        NextAsync(account, cluster, cancellationToken);
}
