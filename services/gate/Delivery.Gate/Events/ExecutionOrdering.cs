namespace Delivery.Gate.Events;

/// <summary>
/// Puts each execution's events back in order. Events of one execution leave the engine from
/// different workers and cross the bus in parallel, but their <c>Sequence</c> is gapless, so one that
/// arrives early waits for those before it; if they do not come within the reorder wait (a gate that
/// started mid-run never gets them), it is released anyway and a later straggler is dropped.
/// Copies of events already released are dropped too. Not thread-safe: <see cref="EventHub"/> holds its lock.
/// </summary>
public sealed class ExecutionOrdering(int maxPendingPerExecution)
{
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Executions being tracked.</summary>
    public int Count => _states.Count;

    /// <summary>Takes an event; adds to <paramref name="ready"/> the events that are now next in their execution's order.</summary>
    public void Accept(StreamedEvent streamed, long now, List<StreamedEvent> ready)
    {
        var sequence = streamed.Event.Sequence;
        if (!_states.TryGetValue(streamed.Event.ExecutionId, out var state))
        {
            state = new State();
            _states[streamed.Event.ExecutionId] = state;
        }
        state.Touched = now;
        if (sequence < state.Next || state.Pending.ContainsKey(sequence))
        {
            return;
        }
        if (state.Pending.Count == 0)
        {
            state.HeldSince = now;
        }
        state.Pending.Add(sequence, streamed);
        Drain(state, now, ready);
        if (state.Pending.Count > maxPendingPerExecution)
        {
            Release(state, now, ready);
        }
    }

    /// <summary>Releases events that waited longer than <paramref name="waitMs"/> for a gap to fill; forgets executions idle longer than <paramref name="idleMs"/>.</summary>
    public void Sweep(long now, long waitMs, long idleMs, List<StreamedEvent> ready)
    {
        List<string>? idle = null;
        foreach (var (id, state) in _states)
        {
            if (state.Pending.Count > 0 && now - state.HeldSince >= waitMs)
            {
                Release(state, now, ready);
            }
            else if (state.Pending.Count == 0 && now - state.Touched >= idleMs)
            {
                (idle ??= []).Add(id);
            }
        }
        foreach (var id in idle ?? [])
        {
            _states.Remove(id);
        }
    }

    /// <summary>Gives up on the gap before the earliest waiting event.</summary>
    private static void Release(State state, long now, List<StreamedEvent> ready)
    {
        state.Next = state.Pending.Keys[0];
        Drain(state, now, ready);
    }

    private static void Drain(State state, long now, List<StreamedEvent> ready)
    {
        var progressed = false;
        while (state.Pending.Count > 0 && state.Pending.Keys[0] == state.Next)
        {
            ready.Add(state.Pending.Values[0]);
            state.Pending.RemoveAt(0);
            state.Next++;
            progressed = true;
        }
        if (progressed)
        {
            state.HeldSince = now;
        }
    }

    private sealed class State
    {
        /// <summary>The sequence number expected next; events start at 1.</summary>
        public long Next = 1;
        public readonly SortedList<long, StreamedEvent> Pending = [];
        public long HeldSince;
        public long Touched;
    }
}
