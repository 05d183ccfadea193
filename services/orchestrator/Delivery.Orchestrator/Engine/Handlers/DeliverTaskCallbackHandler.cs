using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Pipelines;
using Microsoft.Extensions.Logging;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>
/// Keeps a reply from another service with the task that waits for it and runs the task at once, as
/// <see cref="UpdateStageHandler"/> does with a user's input. A key already delivered is a duplicate and changes
/// nothing, so a reply sent twice never runs the task's effect twice; a reply for a task that no longer waits is dropped.
/// A paused task keeps the reply and reads it when the execution resumes. A reply the task cannot keep (over
/// <see cref="TaskCallbacks.MaxPayloadBytes"/>, not JSON, or past <see cref="TaskCallbacks.MaxCallbacksPerTask"/>) ends
/// its running stage TERMINAL with the reason at once: dropping it would leave the stage waiting for its timeout, and
/// the reply's own error, lost.
/// </summary>
public sealed class DeliverTaskCallbackHandler(ILogger<DeliverTaskCallbackHandler> logger, UnappliedMessages unapplied) : IEngineHandler<DeliverTaskCallback>
{
    public ValueTask HandleAsync(DeliverTaskCallback message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        var task = execution.FindStage(message.StageId)?.Tasks.Find(t => t.Id == message.TaskId);
        if (task is not { Status: ExecutionStatus.Running or ExecutionStatus.Paused })
        {
            logger.LogInformation("Dropped callback {Key} for task {TaskId} of stage {StageId} in execution {ExecutionId}: the task is {Status}",
                message.Key, message.TaskId, message.StageId, execution.Id, task?.Status.ToWire() ?? "not found");
            return ValueTask.CompletedTask;
        }
        if (task.Callbacks?.ContainsKey(message.Key) == true)
        {
            logger.LogDebug("Dropped duplicate callback {Key} for task {TaskId} in execution {ExecutionId}", message.Key, task.Id, execution.Id);
            return ValueTask.CompletedTask;
        }
        if (Refusal(message, task.Callbacks?.Count ?? 0, out var payload) is { } refusal)
        {
            logger.LogWarning("Refused callback {Key} for task {TaskId} of stage {StageId} in execution {ExecutionId}: {Refusal}",
                message.Key, task.Id, message.StageId, execution.Id, refusal);
            // A paused execution's stage is not failed by a reply: it ends, as before, by the task's timeout once resumed.
            if (task.Status == ExecutionStatus.Running)
            {
                unapplied.Fail(frame, message, $"Task {task.Name} could not keep the reply '{StageFieldChecks.Truncate(message.Key)}': {refusal}.");
            }
            return ValueTask.CompletedTask;
        }
        (task.Callbacks ??= [])[message.Key] = payload;
        frame.MarkChanged();
        if (task.Status == ExecutionStatus.Running && execution.Status == ExecutionStatus.Running)
        {
            frame.Continue(new RunTask(execution.Id, message.StageId, task.Id));
        }
        return ValueTask.CompletedTask;
    }

    private static string? Refusal(DeliverTaskCallback message, int delivered, out JsonNode? payload)
    {
        payload = null;
        if (delivered >= TaskCallbacks.MaxCallbacksPerTask)
        {
            return $"the task already received {delivered} callbacks, the most one task keeps";
        }
        var bytes = Encoding.UTF8.GetByteCount(message.PayloadJson);
        if (bytes > TaskCallbacks.MaxPayloadBytes)
        {
            return $"its payload of {bytes} bytes exceeds {TaskCallbacks.MaxPayloadBytes} bytes";
        }
        try
        {
            payload = JsonNode.Parse(message.PayloadJson);
            return null;
        }
        catch (JsonException e)
        {
            return $"its payload is not JSON: {e.Message}";
        }
    }
}
