using System.Threading.Channels;

namespace Delivery.Gate.Events;

/// <summary>
/// One client of <c>GET /events</c>: the events waiting to be written to it, at most the configured
/// buffer. <see cref="EventHub"/> only ever tries to add (it never waits); a full buffer drops the
/// client, completing <see cref="Events"/> and calling <c>onDropped</c> (which aborts its connection,
/// so a write stuck on a client that does not read ends too).
/// </summary>
public sealed class EventSubscription(EventFilter filter, int capacity, Action onDropped)
{
    private readonly Channel<StreamedEvent> _events = Channel.CreateBounded<StreamedEvent>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public EventFilter Filter { get; } = filter;

    /// <summary>Events kept for this client before it subscribed and after its <c>Last-Event-ID</c>, to write first.</summary>
    public IReadOnlyList<StreamedEvent> Replay { get; internal set; } = [];

    /// <summary>True when the client's <c>Last-Event-ID</c> is no longer kept: it must reload what it shows.</summary>
    public bool Reset { get; internal set; }

    public ChannelReader<StreamedEvent> Events => _events.Reader;

    /// <summary>True when the client was dropped for falling behind.</summary>
    public bool Dropped { get; private set; }

    internal bool TryWrite(StreamedEvent streamed) => _events.Writer.TryWrite(streamed);

    internal void Drop()
    {
        Dropped = true;
        _events.Writer.TryComplete();
        onDropped();
    }
}
