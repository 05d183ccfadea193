namespace Delivery.Contracts.Clouddriver;

/// <summary>
/// Command: stop the given instances (their server group then replaces them to keep its desired
/// capacity, as Spinnaker's <c>terminateInstances</c> without decrement); succeeds once they are gone.
/// </summary>
public sealed record TerminateInstances(
    string OperationId,
    string Account,
    IReadOnlyList<string> InstanceIds,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null) : IClouddriverOperation;
