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
}
