namespace Delivery.Clouddriver.Kubernetes.Contracts;

/// <summary>
/// Request (bus request/reply, answered with <see cref="ManifestProgress"/>): what a running Kubernetes operation waits for
/// now, so that its stage shows the live reason (Orca's WaitForManifestStableTask messages).
/// </summary>
/// <param name="OperationId">The <c>OperationId</c> of the <see cref="DeployManifest"/> or <see cref="ManifestOperation"/>.</param>
public sealed record GetManifestProgress(string OperationId);
