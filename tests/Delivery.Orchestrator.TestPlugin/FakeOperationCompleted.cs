namespace Delivery.Orchestrator.TestPlugin;

/// <summary>The fake external service's reply, shaped like clouddriver's <c>OperationCompleted</c>.</summary>
public sealed record FakeOperationCompleted(string OperationId, string ExecutionId, string StageId, string TaskId, bool Succeeded, string? Error, string? ResultJson);
