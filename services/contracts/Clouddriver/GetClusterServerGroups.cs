namespace Delivery.Contracts.Clouddriver;

/// <summary>
/// Request (bus request/reply, answered with <see cref="ClusterServerGroups"/>): the server groups of one
/// cluster as clouddriver's inventory holds them now. Used by stages that pick a target server group
/// (Orca's <c>TargetServerGroupResolver</c>) or apply a deployment strategy.
/// </summary>
/// <param name="Account">Account the cluster lives in.</param>
/// <param name="Application">The cluster's application (Frigga app part).</param>
/// <param name="Cluster">Cluster name <c>app[-stack[-detail]]</c>.</param>
public sealed record GetClusterServerGroups(string Account, string Application, string Cluster);
