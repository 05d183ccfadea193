namespace Delivery.Contracts.Clouddriver;

/// <summary>
/// Command: take a server group out of its load balancers (its instances keep running, shown
/// OutOfService); succeeds once no new request is routed to it.
/// </summary>
public sealed record DisableServerGroup(
    string OperationId,
    string Account,
    string ServerGroupName,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null) : IClouddriverOperation;
