using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Engine.Handlers;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine;

/// <summary>Routes each engine message to its handler.</summary>
public sealed class EngineHandlers(
    StartExecutionHandler startExecution,
    StartStageHandler startStage,
    StartTaskHandler startTask,
    RunTaskHandler runTask,
    CompleteTaskHandler completeTask,
    CompleteStageHandler completeStage,
    ContinueParentStageHandler continueParentStage,
    CompleteExecutionHandler completeExecution,
    CancelExecutionHandler cancelExecution,
    PauseExecutionHandler pauseExecution,
    ResumeExecutionHandler resumeExecution,
    RestartStageHandler restartStage,
    SkipStageHandler skipStage,
    UpdateStageHandler updateStage,
    DeliverTaskCallbackHandler deliverTaskCallback,
    ReviveExecutionHandler reviveExecution)
{
    public ValueTask ApplyAsync(object message, ExecutionFrame frame, CancellationToken ct) => message switch
    {
        StartExecution m => startExecution.HandleAsync(m, frame, ct),
        StartStage m => startStage.HandleAsync(m, frame, ct),
        StartTask m => startTask.HandleAsync(m, frame, ct),
        RunTask m => runTask.HandleAsync(m, frame, ct),
        CompleteTask m => completeTask.HandleAsync(m, frame, ct),
        CompleteStage m => completeStage.HandleAsync(m, frame, ct),
        ContinueParentStage m => continueParentStage.HandleAsync(m, frame, ct),
        CompleteExecution m => completeExecution.HandleAsync(m, frame, ct),
        CancelExecution m => cancelExecution.HandleAsync(m, frame, ct),
        PauseExecution m => pauseExecution.HandleAsync(m, frame, ct),
        ResumeExecution m => resumeExecution.HandleAsync(m, frame, ct),
        RestartStage m => restartStage.HandleAsync(m, frame, ct),
        SkipStage m => skipStage.HandleAsync(m, frame, ct),
        UpdateStage m => updateStage.HandleAsync(m, frame, ct),
        DeliverTaskCallback m => deliverTaskCallback.HandleAsync(m, frame, ct),
        ReviveExecution m => reviveExecution.HandleAsync(m, frame, ct),
        _ => throw new ArgumentException($"{message.GetType().Name} is not an execution message.", nameof(message)),
    };

    /// <summary>The execution a message is about.</summary>
    public static string ExecutionIdOf(object message) => message switch
    {
        StartExecution m => m.ExecutionId,
        StartStage m => m.ExecutionId,
        StartTask m => m.ExecutionId,
        RunTask m => m.ExecutionId,
        CompleteTask m => m.ExecutionId,
        CompleteStage m => m.ExecutionId,
        ContinueParentStage m => m.ExecutionId,
        CompleteExecution m => m.ExecutionId,
        CancelExecution m => m.ExecutionId,
        PauseExecution m => m.ExecutionId,
        ResumeExecution m => m.ExecutionId,
        RestartStage m => m.ExecutionId,
        SkipStage m => m.ExecutionId,
        UpdateStage m => m.ExecutionId,
        DeliverTaskCallback m => m.ExecutionId,
        ReviveExecution m => m.ExecutionId,
        _ => throw new ArgumentException($"{message.GetType().Name} is not an execution message.", nameof(message)),
    };
}
