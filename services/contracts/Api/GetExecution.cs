namespace Delivery.Contracts.Api;

/// <summary>Get an execution by id.</summary>
public sealed record GetExecution(string ExecutionId);
