namespace Delivery.Contracts.Clouddriver;

/// <summary>Command: stop a load balancer's listener and forget it; server groups keep running.</summary>
public sealed record DeleteLoadBalancer(
    string OperationId,
    string Account,
    string Name,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null) : IClouddriverOperation;
