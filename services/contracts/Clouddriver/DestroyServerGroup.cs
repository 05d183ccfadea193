namespace Delivery.Contracts.Clouddriver;

/// <summary>Command: stop every instance of a server group and remove it; succeeds once its processes are gone.</summary>
public sealed record DestroyServerGroup(
    string OperationId,
    string Account,
    string ServerGroupName,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null) : IClouddriverOperation;
