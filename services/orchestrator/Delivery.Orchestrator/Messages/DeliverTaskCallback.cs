namespace Delivery.Orchestrator.Messages;

/// <summary>
/// Hand a reply from another service to the task waiting for it (see <c>AddTaskCallback</c>): kept with the task
/// under <paramref name="Key"/>, and the task runs at once.
/// </summary>
/// <param name="PayloadJson">The reply as JSON (what the task reads with <c>TaskContext.Callback</c>).</param>
public sealed record DeliverTaskCallback(string ExecutionId, string StageId, string TaskId, string Key, string PayloadJson);
