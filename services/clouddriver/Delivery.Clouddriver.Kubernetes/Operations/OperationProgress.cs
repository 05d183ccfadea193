using System.Collections.Concurrent;

namespace Delivery.Clouddriver.Kubernetes.Operations;

/// <summary>
/// What each running Kubernetes operation of this clouddriver waits for now (Spinnaker's manifest status reason, e.g.
/// <c>deployment web: Waiting for all replicas to be updated</c>), by operation id; kept only while the operation runs.
/// </summary>
public sealed class OperationProgress
{
    private readonly ConcurrentDictionary<string, string> _waitingFor = new(StringComparer.Ordinal);

    public void Report(string operationId, string waitingFor) => _waitingFor[operationId] = waitingFor;

    /// <summary>The operation's current reason, or null when it is not running here or waits for nothing.</summary>
    public string? Find(string operationId) => _waitingFor.GetValueOrDefault(operationId);

    public void Clear(string operationId) => _waitingFor.TryRemove(operationId, out _);
}
