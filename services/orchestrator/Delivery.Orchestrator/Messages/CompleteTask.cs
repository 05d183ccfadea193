using Delivery.Contracts;

namespace Delivery.Orchestrator.Messages;

/// <summary>Record the outcome of a task and move its stage on.</summary>
public sealed record CompleteTask(string ExecutionId, string StageId, string TaskId, ExecutionStatus Status);
