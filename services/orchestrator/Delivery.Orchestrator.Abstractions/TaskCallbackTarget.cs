namespace Delivery.Orchestrator.Abstractions;

/// <summary>The task a reply wakes: the ids the task put in its command, and the key it reads the reply under.</summary>
/// <param name="ExecutionId">The execution the waiting task belongs to.</param>
/// <param name="StageId">The stage's id (<see cref="IStageView.Id"/>, not its refId).</param>
/// <param name="TaskId">The task's id (<see cref="ITaskView.Id"/>).</param>
/// <param name="Key">
/// What the reply answers, such as an operation id: a second reply with the same key is a duplicate and is dropped.
/// The task reads the reply with <see cref="TaskContext.Callback{TReply}"/> under this key.
/// </param>
public sealed record TaskCallbackTarget(string ExecutionId, string StageId, string TaskId, string Key);
