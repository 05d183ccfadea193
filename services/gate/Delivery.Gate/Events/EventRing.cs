namespace Delivery.Gate.Events;

/// <summary>
/// The most recent events this gate streamed, in the order it streamed them, for clients that
/// reconnect with <c>Last-Event-ID</c>. Fixed size: the newest event overwrites the oldest.
/// Not thread-safe: <see cref="EventHub"/> holds its lock.
/// </summary>
public sealed class EventRing(int size)
{
    private readonly StreamedEvent?[] _items = new StreamedEvent?[size];
    private readonly Dictionary<string, long> _positions = new(StringComparer.Ordinal);
    private long _next;

    public void Add(StreamedEvent streamed)
    {
        var slot = (int)(_next % size);
        if (_items[slot] is { } overwritten)
        {
            _positions.Remove(overwritten.Event.EventId);
        }
        _items[slot] = streamed;
        _positions[streamed.Event.EventId] = _next++;
    }

    /// <summary>
    /// The kept events after the one with <paramref name="eventId"/> that match the filter, or null when
    /// that event is no longer kept (overwritten, received before <paramref name="notBefore"/>, or never seen).
    /// </summary>
    public List<StreamedEvent>? After(string eventId, long notBefore, EventFilter filter)
    {
        if (!_positions.TryGetValue(eventId, out var position) || _items[(int)(position % size)]!.ReceivedAt < notBefore)
        {
            return null;
        }
        var after = new List<StreamedEvent>();
        for (var p = position + 1; p < _next; p++)
        {
            var streamed = _items[(int)(p % size)]!;
            if (filter.Matches(streamed.Event))
            {
                after.Add(streamed);
            }
        }
        return after;
    }
}
