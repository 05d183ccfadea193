namespace Delivery.Orchestrator.TestPlugin;

/// <summary>
/// The command the fake operation stage sends to the fake external service, carrying the correlation its reply
/// must return. <paramref name="Reply"/> tells the fake service how to answer: <c>succeed</c>, <c>fail</c>,
/// <c>none</c> (never answers) or <c>twice</c> (answers the same twice).
/// </summary>
public sealed record StartFakeOperation(string OperationId, string ExecutionId, string StageId, string TaskId, string? Input, string Reply, int DelayMs);
