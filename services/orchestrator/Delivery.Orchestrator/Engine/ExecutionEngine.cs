using Delivery.Contracts;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tasks;
using Microsoft.Extensions.Logging;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// Applies engine messages to executions, one writer at a time through optimistic versioning.
/// A message and the follow-ups its handlers continue with inline are applied to the loaded
/// document and saved once, together with the messages that must leave (the outbox); those are
/// then published or scheduled. A redelivered message whose outbox is still stored only sends it; an outbox nobody
/// sends is sent by the <see cref="OutboxSweeper"/>. A message that cannot be applied fails its stage (<see cref="UnappliedMessages"/>).
/// </summary>
public sealed class ExecutionEngine(
    IExecutionStore store,
    OutboxSender sender,
    EngineHandlers handlers,
    UnappliedMessages unapplied,
    TimeProvider time,
    ILogger<ExecutionEngine> logger)
{
    private const int MaxAttempts = 100;

    public async Task<ApiReply?> ProcessAsync(string executionId, string messageId, object message, CancellationToken cancellationToken)
    {
        var taskResults = new Dictionary<string, TaskResult>();
        var claimTokens = new HashSet<string>(StringComparer.Ordinal);
        // The answer of a gate request whose change was saved together with an effect claim, before its task ran.
        ApiReply? response = null;
        var respondWithExecution = false;
        var continuingClaimedRun = false;
        // Why the message's own change cannot be saved; set, the next attempt fails the stage to blame instead.
        UnappliedFailure? failure = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (execution, pendingOutbox) = await store.LoadForUpdateAsync(executionId, messageId);
            if (pendingOutbox is not null)
            {
                // An earlier attempt saved its change but may not have sent what followed from it.
                await sender.SendStoredAsync(executionId, messageId, pendingOutbox, cancellationToken);
                return execution is null ? null : EngineResponses.Execution(execution);
            }
            if (execution is null)
            {
                logger.LogWarning("{Message} names execution {ExecutionId}, which does not exist", message.GetType().Name, executionId);
                return EngineResponses.NotFound(executionId);
            }
            // A claimed run continues a gate request already recorded as applied (with its claim): that is this very delivery.
            if (execution.WasApplied(messageId) && !continuingClaimedRun)
            {
                // Redelivered after its change was saved and sent: applying it again would repeat it.
                return EngineResponses.Execution(execution);
            }

            var frame = new ExecutionFrame(execution, time.NowMs(), taskResults, claimTokens);
            var applying = message;

            // Applies a message, or, when it concerns the stage to blame for an earlier failed attempt, fails that stage.
            ValueTask ApplyAsync(object m)
            {
                if (failure is { Culprit: { } culprit } && UnappliedMessages.StageIdOf(m) == culprit)
                {
                    unapplied.Fail(frame, m, failure.Reason, culprit);
                    return ValueTask.CompletedTask;
                }
                return handlers.ApplyAsync(m, frame, cancellationToken);
            }
            try
            {
                try
                {
                    if (failure is { Direct: true })
                    {
                        unapplied.Fail(frame, message, failure.Reason, failure.Culprit);
                    }
                    else if (execution.Status == ExecutionStatus.Paused && message is StartStage)
                    {
                        (execution.DeferredMessages ??= []).Add(MessageCodec.Encode(message));
                        frame.MarkChanged();
                    }
                    else
                    {
                        await ApplyAsync(message);
                    }
                    while (frame.TryTakeInline(out applying))
                    {
                        await ApplyAsync(applying);
                    }
                }
                catch (Exception e) when (UnappliedMessages.IsPoison(e) && failure is not { Direct: true })
                {
                    // Applying it again would throw again: its stage ends with the reason instead of the message being redelivered forever.
                    logger.LogError(e, "{Message} on execution {ExecutionId} cannot be applied", applying.GetType().Name, executionId);
                    failure = UnappliedFailure.Next(failure, $"The engine could not apply {applying.GetType().Name}: {e.Message}", UnappliedMessages.StageIdOf(applying));
                    continue;
                }

                string? outbox = null;
                // A change holding a new effect claim is saved under an id of its own: the message itself is applied
                // (and recorded as applied) only with the task's result, so a redelivery finds the claim, not the message done.
                var saveAs = frame.ClaimedRun is null ? messageId : messageId + ":claim";
                if (frame.Changed)
                {
                    if (UnappliedMessages.IsRequest(message))
                    {
                        execution.MarkRequestApplied(messageId, frame.Now);
                    }
                    outbox = frame.Outgoing.Count > 0 ? OutboxSender.Encode(frame.Outgoing) : null;
                    bool saved;
                    try
                    {
                        saved = await store.TrySaveAsync(execution, saveAs, outbox);
                    }
                    catch (ExecutionTooLargeException e) when (failure is not { Direct: true })
                    {
                        logger.LogWarning("{Message} on execution {ExecutionId} is not applied: {Reason}", message.GetType().Name, executionId, e.Message);
                        failure = UnappliedFailure.Next(failure, e.Message, UnappliedMessages.LargestStage(execution));
                        continue;
                    }
                    if (!saved)
                    {
                        if (attempt > 3)
                        {
                            await Task.Delay(Random.Shared.Next(1, Math.Min(attempt, 20)), cancellationToken);
                        }
                        continue;
                    }
                }
                await frame.ReleaseAsync();
                frame.RunAfterSave();
                await sender.SendAsync(frame.Outgoing, cancellationToken);
                await sender.CancelTimersAsync(frame.TimersToCancel, frame.Outgoing);
                if (outbox is not null)
                {
                    await store.ClearOutboxAsync(executionId, saveAs);
                }
                if (frame.ClaimedRun is { } run)
                {
                    response ??= frame.Response;
                    respondWithExecution |= frame.RespondWithExecution;
                    message = run;
                    continuingClaimedRun = true;
                    continue;
                }
                return frame.Response ?? response ?? (frame.RespondWithExecution || respondWithExecution ? EngineResponses.Execution(execution) : null);
            }
            finally
            {
                await frame.ReleaseAsync();
            }
        }
        throw new InvalidOperationException($"Gave up applying {message.GetType().Name} to execution {executionId} after {MaxAttempts} save conflicts.");
    }
}
