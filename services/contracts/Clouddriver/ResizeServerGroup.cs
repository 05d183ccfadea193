namespace Delivery.Contracts.Clouddriver;

/// <summary>Command: change a server group's capacity; succeeds once exactly <c>capacity.desired</c> instances run and are Up.</summary>
public sealed record ResizeServerGroup(
    string OperationId,
    string Account,
    string ServerGroupName,
    ServerGroupCapacity Capacity,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null) : IClouddriverOperation;
