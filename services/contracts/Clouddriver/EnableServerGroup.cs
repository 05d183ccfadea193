namespace Delivery.Contracts.Clouddriver;

/// <summary>Command: put a server group back into its load balancers; succeeds once they route to it.</summary>
public sealed record EnableServerGroup(
    string OperationId,
    string Account,
    string ServerGroupName,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null) : IClouddriverOperation;
