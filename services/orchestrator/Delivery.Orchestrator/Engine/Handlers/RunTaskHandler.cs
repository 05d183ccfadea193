using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Engine.Views;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>
/// Runs a running task and applies its result: merges its context and outputs, publishes its messages through the
/// outbox, and schedules its next run (or its deadline, for a task that waits to be woken).
/// </summary>
public sealed class RunTaskHandler(
    TaskRegistry tasks, TaskMessageTypes messageTypes, IOptions<OrchestratorOptions> options, TimeProvider time, ILogger<RunTaskHandler> logger)
    : IEngineHandler<RunTask>
{
    public async ValueTask HandleAsync(RunTask message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.Status != ExecutionStatus.Running
            || execution.FindStage(message.StageId) is not { Status: ExecutionStatus.Running } stage
            || stage.Tasks.Find(t => t.Id == message.TaskId) is not { Status: ExecutionStatus.Running } task)
        {
            return;
        }
        var key = StageGraph.TimerKey(execution.Id, stage.Id, task.Id);
        var implementation = tasks.Find(task.ImplementingClass);
        var deadline = Deadline(stage, task, implementation);
        TaskResult result;
        if (deadline is { } due && frame.Now >= due.At)
        {
            result = TaskResult.Terminal(due.Reason);
        }
        else if (frame.TaskResults.TryGetValue(key, out var earlier))
        {
            result = earlier;
        }
        else if (implementation is { HasExternalEffect: true } && task.EffectClaim is null)
        {
            // Recorded before the call is made: a delivery that dies during it leaves the claim for others to see.
            task.EffectClaim = new EffectClaim(Guid.NewGuid().ToString("N"), frame.Now);
            frame.SaveClaimThenRun(message, task.EffectClaim);
            return;
        }
        else if (task.EffectClaim is { } other && !frame.ClaimTokens.Contains(other.Token))
        {
            var settled = other.At + options.Value.TaskRunTimeoutMs + ClaimGraceMs;
            if (frame.Now < settled)
            {
                // Another delivery of this task is making the call: look again once it must have finished.
                frame.Schedule(message, settled, key);
                return;
            }
            result = TaskResult.Terminal($"Task {task.Name} makes an external call that a run claimed at {DateTimeOffset.FromUnixTimeMilliseconds(other.At):O} "
                + "and never recorded the outcome of (its worker stopped): the call may have been made, so it is not made again.");
        }
        else
        {
            result = await Execute(implementation, new EngineTaskContext(execution, stage, task, frame.Now), cancellationToken);
            frame.TaskResults[key] = result;
            // The task's I/O took time: what follows (its end, the next task's start, its next run) happens after it.
            frame.AdvanceClock(time.NowMs());
        }

        if (task.EffectClaim is not null)
        {
            task.EffectClaim = null;
            frame.MarkChanged();
        }
        Merge(stage.Context, result.Context);
        Merge(stage.Outputs, result.Outputs);
        foreach (var outgoing in result.Messages)
        {
            frame.Publish(outgoing);
        }
        if (result.Context is { Count: > 0 } || result.Outputs is { Count: > 0 } || result.Messages.Count > 0)
        {
            frame.MarkChanged();
        }
        switch (result.Status)
        {
            case ExecutionStatus.Running:
                var next = result.RunAgainAfter is { } after ? frame.Now + (long)Math.Max(0, after.TotalMilliseconds) : (long?)null;
                if (deadline is { } limit && (next is null || limit.At < next))
                {
                    next = limit.At;
                }
                if (next is { } at)
                {
                    frame.Schedule(message, at, key);
                }
                break;
            case ExecutionStatus.Succeeded or ExecutionStatus.Skipped:
                frame.Continue(new CompleteTask(execution.Id, stage.Id, task.Id, ExecutionStatus.Succeeded));
                break;
            case ExecutionStatus.Terminal:
                StageTransitions.RecordErrors(stage, [result.Error ?? $"Task {task.Name} failed."]);
                frame.MarkChanged();
                frame.Continue(new CompleteTask(execution.Id, stage.Id, task.Id, stage.FailureStatus()));
                break;
            default:
                frame.Continue(new CompleteTask(execution.Id, stage.Id, task.Id, result.Status));
                break;
        }
    }

    /// <summary>How long past a task run's deadline a claim is still taken to be at work (the claimer's save after its call).</summary>
    private const long ClaimGraceMs = 5_000;

    private async ValueTask<TaskResult> Execute(IStageTask? implementation, TaskContext context, CancellationToken cancellationToken)
    {
        if (implementation is null)
        {
            return TaskResult.Terminal($"No task implements '{context.Task.ImplementingClass}'.");
        }
        // A hard deadline for this run, through all of the task's I/O: a server answering a byte a second cannot hold the consumer.
        var limit = TimeSpan.FromMilliseconds(options.Value.TaskRunTimeoutMs);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            var result = await implementation.ExecuteAsync(context, deadline.Token);
            return messageTypes.Check(result.Messages) is { } refused ? TaskResult.Terminal(refused) : result;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Task {Task} of stage {Stage} in {Execution} ran past its deadline", context.Task.Name, context.Stage.Id, context.Execution.Id);
            return TaskResult.Terminal($"Task {context.Task.Name} did not finish one run within {limit.TotalSeconds:0.###} s (Delivery:Orchestrator:TaskRunTimeoutMs).");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Task {Task} of stage {Stage} in {Execution} threw", context.Task.Name, context.Stage.Id, context.Execution.Id);
            return TaskResult.Terminal($"Task {context.Task.Name} failed: {e.Message}");
        }
    }

    /// <summary>
    /// The earlier of the stage's <c>stageTimeoutMs</c> and the task's own timeout, with the message to fail with; time spent
    /// PAUSED does not count (Orca's RunTaskHandler measures a stage's and a task's running time).
    /// </summary>
    private static (long At, string Reason)? Deadline(StageExecution stage, TaskExecution task, IStageTask? implementation)
    {
        (long At, string Reason)? deadline = null;
        if (ContextValues.Number(stage.Context["stageTimeoutMs"]) is { } ms && stage.StartTime is { } stageStart)
        {
            deadline = (stageStart + stage.PausedMs + (long)ms, $"Stage {stage.Name} timed out after {ms:0} ms (stageTimeoutMs).");
        }
        if (implementation?.Timeout is { } timeout && task.StartTime is { } taskStart)
        {
            var at = taskStart + task.PausedMs + (long)timeout.TotalMilliseconds;
            if (deadline is null || at < deadline.Value.At)
            {
                deadline = (at, $"Task {task.Name} timed out after {timeout}.");
            }
        }
        return deadline;
    }

    private static void Merge(JsonObject target, JsonObject? values)
    {
        if (values is null)
        {
            return;
        }
        foreach (var (name, value) in values)
        {
            target[name] = value?.DeepClone();
        }
    }
}
