namespace Delivery.Clouddriver.Kubernetes.Contracts;

/// <summary>Reply to <see cref="GetManifestProgress"/>.</summary>
/// <param name="WaitingFor">
/// <c>{kind} {name}: {reason}</c> as Clouddriver's manifest status gives it (e.g. <c>deployment web: Waiting for all replicas
/// to be updated (1 of 3)</c>); null when the answering clouddriver does not run the operation or it waits for nothing.
/// </param>
public sealed record ManifestProgress(string OperationId, string? WaitingFor);
