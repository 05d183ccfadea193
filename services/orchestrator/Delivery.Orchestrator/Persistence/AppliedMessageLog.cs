using System.Collections.Immutable;

namespace Delivery.Orchestrator.Persistence;

/// <summary>
/// The message ids whose changes were saved to one execution, with the time each was saved (ms since the epoch), as the
/// in-memory store keeps them beside the document. Immutable, so a save swaps document and log together in one
/// compare-and-set; ids older than the window, or beyond the most kept, are forgotten oldest first.
/// </summary>
internal sealed class AppliedMessageLog
{
    public static readonly AppliedMessageLog Empty = new(ImmutableDictionary<string, long>.Empty.WithComparers(StringComparer.Ordinal), []);

    private readonly ImmutableDictionary<string, long> _savedAt;
    private readonly ImmutableQueue<(string Id, long At)> _order;

    private AppliedMessageLog(ImmutableDictionary<string, long> savedAt, ImmutableQueue<(string Id, long At)> order)
    {
        _savedAt = savedAt;
        _order = order;
    }

    /// <summary>Whether <paramref name="messageId"/> was saved within <paramref name="windowMs"/> before <paramref name="now"/>.</summary>
    public bool Contains(string messageId, long now, long windowMs) => _savedAt.TryGetValue(messageId, out var at) && at >= now - windowMs;

    /// <summary>This log with <paramref name="messageId"/> saved at <paramref name="now"/>, pruned to the window and to <paramref name="max"/> ids.</summary>
    public AppliedMessageLog With(string messageId, long now, long windowMs, int max)
    {
        var savedAt = _savedAt.SetItem(messageId, now);
        var order = _order.Enqueue((messageId, now));
        while (!order.IsEmpty && (savedAt.Count > max || order.Peek().At < now - windowMs))
        {
            order = order.Dequeue(out var oldest);
            // A later save of the same id is still in the queue: only the entry for the latest save forgets it.
            if (savedAt.TryGetValue(oldest.Id, out var at) && at == oldest.At)
            {
                savedAt = savedAt.Remove(oldest.Id);
            }
        }
        return new AppliedMessageLog(savedAt, order);
    }
}
