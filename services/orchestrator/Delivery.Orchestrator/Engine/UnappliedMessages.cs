using Delivery.Contracts;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// What becomes of a message that cannot be applied (its handler throws a non-transient error) or whose change cannot be
/// saved (it would make the execution too large): like Orca's
/// dead-message handler, the stage it concerns ends TERMINAL with the reason (the execution, for a message about no
/// stage), so nothing stays RUNNING waiting for it. A gate request is refused with the reason instead, changing nothing.
/// </summary>
public sealed class UnappliedMessages(StageTransitions transitions)
{
    /// <summary>
    /// Applies the failure of <paramref name="message"/> to the freshly loaded execution of <paramref name="frame"/>:
    /// the stage <paramref name="culpritStageId"/> names when it is still active, else the stage the message is about.
    /// </summary>
    public void Fail(ExecutionFrame frame, object message, string reason, string? culpritStageId = null)
    {
        if (IsRequest(message))
        {
            frame.Response = ApiReply.Invalid(reason);
            return;
        }
        var execution = frame.Execution;
        if (execution.Status.IsComplete())
        {
            return;
        }
        if ((Active(culpritStageId) ?? Active(StageIdOf(message))) is { } stage)
        {
            transitions.Cancel(frame, stage, settledByCaller: true);
            StageTransitions.RecordErrors(stage, [reason]);
            transitions.Finish(frame, stage, ExecutionStatus.Terminal);
            if (execution.Status == ExecutionStatus.NotStarted)
            {
                // Its start could not be saved: it ends without having run (CompleteExecution only ends running ones).
                transitions.CompleteExecution(frame, ExecutionStatus.Terminal);
            }
            return;
        }
        transitions.CompleteExecution(frame, ExecutionStatus.Terminal);

        StageExecution? Active(string? id) =>
            id is not null && execution.FindStage(id) is { Status: ExecutionStatus.Running or ExecutionStatus.NotStarted } s ? s : null;
    }

    /// <summary>
    /// The stage most likely to have grown an execution past its cap: the largest (context and outputs) in the change
    /// that could not be saved. A message applied inline runs several stages; the one to blame produced the bytes.
    /// </summary>
    public static string? LargestStage(PipelineExecution attempted) =>
        attempted.Stages.MaxBy(s => s.Context.ToJsonString().Length + s.Outputs.ToJsonString().Length)?.Id;

    /// <summary>
    /// Whether <paramref name="e"/>, thrown while applying a message, would be thrown again by every redelivery: anything
    /// but cancellation and the faults of the stores and the network (a Redis restart, a lock not yet free), which pass.
    /// </summary>
    public static bool IsPoison(Exception e) =>
        e is not (OperationCanceledException or TimeoutException or StackExchange.Redis.RedisException or IOException
            or System.Net.Http.HttpRequestException or System.Net.Sockets.SocketException or MassTransit.MassTransitException);

    /// <summary>Whether <paramref name="message"/> is a gate request (a human's command, answered), not an engine step.</summary>
    public static bool IsRequest(object message) =>
        message is CancelExecution or PauseExecution or ResumeExecution or RestartStage or SkipStage or UpdateStage;

    /// <summary>The stage an engine message is about, if any.</summary>
    public static string? StageIdOf(object message) => message switch
    {
        StartStage m => m.StageId,
        StartTask m => m.StageId,
        RunTask m => m.StageId,
        CompleteTask m => m.StageId,
        CompleteStage m => m.StageId,
        ContinueParentStage m => m.StageId,
        DeliverTaskCallback m => m.StageId,
        _ => null,
    };
}

/// <summary>
/// Why a message could not be applied and the stage to blame. The next attempt applies the message again but fails that
/// stage where a message concerns it (so the stages before it keep their progress); <paramref name="Direct"/>: fail at
/// once without applying anything, when there is no stage to blame or the second attempt failed too.
/// </summary>
public sealed record UnappliedFailure(string Reason, string? Culprit, bool Direct)
{
    /// <summary>The failure after <paramref name="previous"/> (null at first) for <paramref name="reason"/>.</summary>
    public static UnappliedFailure Next(UnappliedFailure? previous, string reason, string? culprit) =>
        previous is null ? new(reason, culprit, culprit is null) : previous with { Direct = true };
}
