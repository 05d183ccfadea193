using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Tasks;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// One attempt at applying a message to an execution: the loaded document, the follow-up
/// messages the handlers produce, and whether anything changed. Follow-ups given to
/// <see cref="Continue"/> are applied within the same save; the rest leave after it.
/// </summary>
public sealed class ExecutionFrame(PipelineExecution execution, long now, Dictionary<string, TaskResult> taskResults, HashSet<string>? claimTokens = null)
{
    private readonly Queue<object> _inline = new();
    private readonly List<IAsyncDisposable> _heldUntilSaved = [];
    private int _inlineStages;
    private readonly List<Action> _afterSave = [];
    private int _events;

    public PipelineExecution Execution { get; } = execution;

    /// <summary>The time the changes of this attempt happen at (ms since the epoch); moved on past a task's I/O.</summary>
    public long Now { get; private set; } = now;

    /// <summary>Moves <see cref="Now"/> forward to <paramref name="now"/> (never back), after work that took time.</summary>
    public void AdvanceClock(long now) => Now = Math.Max(Now, now);

    public bool Changed { get; private set; }

    public List<OutgoingMessage> Outgoing { get; } = [];

    /// <summary>The answer to a gate request, when the message was one.</summary>
    public ApiReply? Response { get; set; }

    /// <summary>Answer the gate request with the execution as it is once the whole message has been applied.</summary>
    public bool RespondWithExecution { get; set; }

    /// <summary>Results of tasks already run in an earlier attempt of this message, so a save conflict never runs a task twice.</summary>
    public Dictionary<string, TaskResult> TaskResults { get; } = taskResults;

    /// <summary>Effect claims (<see cref="EffectClaim.Token"/>) made by this delivery of the message, in any attempt.</summary>
    public HashSet<string> ClaimTokens { get; } = claimTokens ?? [];

    /// <summary>
    /// The task run to apply once this change, holding a new effect claim, is saved; null unless a handler claimed.
    /// </summary>
    public RunTask? ClaimedRun { get; private set; }

    /// <summary>
    /// Records <paramref name="claim"/> for <paramref name="run"/>: the engine saves the change as it stands (inline messages
    /// not yet applied leave through the outbox instead), then applies <paramref name="run"/> in a new attempt.
    /// </summary>
    public void SaveClaimThenRun(RunTask run, EffectClaim claim)
    {
        ClaimTokens.Add(claim.Token);
        ClaimedRun = run;
        MarkChanged();
        while (_inline.TryDequeue(out var pending))
        {
            Publish(pending);
        }
    }

    public void MarkChanged() => Changed = true;

    public void Continue(object message) => _inline.Enqueue(message);

    public void Publish(object message) => Outgoing.Add(new OutgoingMessage(message, null, null));

    /// <summary>
    /// Stamps the next event of this change: the version the save will give the execution (both stores
    /// add one to the version loaded), its position among this save's events, and the execution's next
    /// event sequence number, which is saved with the change.
    /// </summary>
    public EventStamp NextEvent()
    {
        var version = Execution.Version + 1;
        MarkChanged();
        return new EventStamp(ExecutionEventIds.Of(Execution.Id, version, ++_events), version, ++Execution.EventSequence, Now);
    }

    public void Schedule(object message, long dueMs, string timerKey) => Outgoing.Add(new OutgoingMessage(message, dueMs, timerKey));

    /// <summary>Timers to remove once this change is saved: their task ended (a judgment's 3-day timeout, say).</summary>
    public HashSet<string> TimersToCancel { get; } = [];

    /// <summary>Removes the timer of a task that ended, after the save; a crash first leaves a timer its handler ignores.</summary>
    public void CancelTimer(string timerKey) => TimersToCancel.Add(timerKey);

    /// <summary>Counts a top-level stage started inline; false, and not counted, once <paramref name="limit"/> were.</summary>
    public bool TryCountInlineStage(int limit)
    {
        if (_inlineStages >= limit)
        {
            return false;
        }
        _inlineStages++;
        return true;
    }

    /// <summary>Keeps a lock until this attempt's change is saved (or abandoned).</summary>
    public void HoldUntilSaved(IAsyncDisposable held) => _heldUntilSaved.Add(held);

    /// <summary>Runs <paramref name="action"/> once this attempt's change is saved; never when the attempt is retried or abandoned (metrics count what happened once).</summary>
    public void AfterSave(Action action) => _afterSave.Add(action);

    internal void RunAfterSave()
    {
        foreach (var action in _afterSave)
        {
            action();
        }
    }

    internal bool TryTakeInline(out object message)
    {
        message = null!;
        return ClaimedRun is null && _inline.TryDequeue(out message!);
    }

    internal async ValueTask ReleaseAsync()
    {
        foreach (var held in _heldUntilSaved)
        {
            await held.DisposeAsync();
        }
        _heldUntilSaved.Clear();
    }
}

/// <summary>A message a change produced: published, or scheduled at <paramref name="DueMs"/> under <paramref name="TimerKey"/>.</summary>
public sealed record OutgoingMessage(object Message, long? DueMs, string? TimerKey)
{
    /// <summary>The id it is published under, kept in the outbox so that sending the outbox again repeats it.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();
}
