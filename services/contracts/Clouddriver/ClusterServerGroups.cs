namespace Delivery.Contracts.Clouddriver;

/// <summary>Reply to <see cref="GetClusterServerGroups"/>.</summary>
/// <param name="Account">The account asked for.</param>
/// <param name="Cluster">The cluster asked for.</param>
/// <param name="ServerGroups">The cluster's server groups (destroyed ones excluded), oldest first; empty when the cluster has none.</param>
/// <param name="Error">Why the inventory could not be read (e.g. an unknown account); null on success.</param>
public sealed record ClusterServerGroups(string Account, string Cluster, IReadOnlyList<ClusterServerGroup> ServerGroups, string? Error = null);
