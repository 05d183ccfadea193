using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Api;
using Delivery.Clouddriver.Kubernetes.Manifests;
using Delivery.Clouddriver.Operations;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Kubernetes.Operations;

/// <summary>
/// Waits until a live object is stable (<see cref="Stability"/>), re-reading it every <c>StatusPollMs</c> for at most
/// <c>StableTimeoutSeconds</c>; a failed status (a rollout past its deadline) or the timeout fails the operation with the
/// last reason. A paused Deployment ends the wait (it will not progress until resumed). Each reason while not yet stable
/// goes to <c>report</c> (as <c>{kind} {name}: {reason}</c>).
/// </summary>
public sealed class ManifestWaiter(IOptions<KubernetesProviderOptions> options, TimeProvider time)
{
    public async Task<(JsonObject Live, ManifestStatus Status)> WaitStableAsync(KubeApi api, ResourceKind kind, string? ns, string name, CancellationToken cancellationToken,
        Action<string>? report = null)
    {
        var o = options.Value;
        var deadline = time.GetUtcNow().AddSeconds(o.StableTimeoutSeconds);
        while (true)
        {
            var live = await api.GetAsync(kind, ns, name, cancellationToken)
                ?? throw OperationException.Failed($"{SpinnakerMetadata.KindName(kind.Kind)} {name} was deleted while waiting for it to become stable.");
            var status = Stability.Of(live);
            if (status.Stable || status.Paused)
            {
                return (live, status);
            }
            if (status.Failed)
            {
                throw OperationException.Failed($"{SpinnakerMetadata.KindName(kind.Kind)} {name} failed: {status.Reason}");
            }
            report?.Invoke($"{SpinnakerMetadata.KindName(kind.Kind)} {name}: {status.Reason}");
            if (time.GetUtcNow() > deadline)
            {
                throw OperationException.Failed($"{SpinnakerMetadata.KindName(kind.Kind)} {name} did not become stable in {o.StableTimeoutSeconds} s: {status.Reason}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(o.StatusPollMs), time, cancellationToken);
        }
    }
}
