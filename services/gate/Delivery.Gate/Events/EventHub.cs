using Delivery.Contracts.Orchestration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Gate.Events;

/// <summary>
/// This gate's live event stream: takes execution events from the bus, restores each execution's
/// order (<see cref="ExecutionOrdering"/>), keeps the recent ones (<see cref="EventRing"/>) and hands
/// each to the clients whose filter matches. It never waits on a client: one whose buffer is full is
/// dropped, so a slow browser can slow neither the bus consumer nor the engine.
/// </summary>
public sealed class EventHub : IDisposable
{
    /// <summary>Events of one execution held back waiting for an earlier one, at most; beyond that the gap is given up.</summary>
    private const int MaxPendingPerExecution = 1_000;

    private readonly Lock _lock = new();
    private readonly EventStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EventHub> _logger;
    private readonly ExecutionOrdering _ordering = new(MaxPendingPerExecution);
    private readonly EventRing _ring;
    private readonly HashSet<EventSubscription> _subscriptions = [];
    private readonly ITimer _sweep;

    public EventHub(IOptions<EventStreamOptions> options, TimeProvider time, ILogger<EventHub> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _ring = new EventRing(_options.RingSize);
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_options.ReorderWaitMs / 4, 10, 1_000));
        _sweep = time.CreateTimer(_ => Sweep(), null, period, period);
    }

    /// <summary>Clients streaming now.</summary>
    public int ClientCount
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>Takes an event from the bus (a copy of one already taken is ignored).</summary>
    public void Publish(IExecutionEvent e)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var streamed = new StreamedEvent(e, now);
        var ready = new List<StreamedEvent>(1);
        List<EventSubscription>? dropped;
        lock (_lock)
        {
            _ordering.Accept(streamed, now, ready);
            dropped = Stream(ready);
        }
        DropAll(dropped);
    }

    /// <summary>
    /// Adds a client, with the kept events after <paramref name="lastEventId"/> to replay (or a reset
    /// when that one is no longer kept); null when the gate already streams to as many clients as allowed.
    /// Taken under the same lock that streams events, so nothing falls between the replay and the live events.
    /// </summary>
    public EventSubscription? Subscribe(EventFilter filter, string? lastEventId, Action onDropped)
    {
        var subscription = new EventSubscription(filter, _options.ClientBufferSize, onDropped);
        lock (_lock)
        {
            if (_subscriptions.Count >= _options.MaxClients)
            {
                return null;
            }
            if (lastEventId is not null)
            {
                var notBefore = _time.GetUtcNow().ToUnixTimeMilliseconds() - _options.RingMaxAgeSeconds * 1000L;
                var replay = _ring.After(lastEventId, notBefore, filter);
                subscription.Replay = replay ?? [];
                subscription.Reset = replay is null;
            }
            _subscriptions.Add(subscription);
        }
        return subscription;
    }

    public void Unsubscribe(EventSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private void Sweep()
    {
        var ready = new List<StreamedEvent>();
        List<EventSubscription>? dropped;
        lock (_lock)
        {
            _ordering.Sweep(_time.GetUtcNow().ToUnixTimeMilliseconds(), _options.ReorderWaitMs, _options.ExecutionIdleSeconds * 1000L, ready);
            dropped = Stream(ready);
        }
        DropAll(dropped);
    }

    private List<EventSubscription>? Stream(List<StreamedEvent> ready)
    {
        List<EventSubscription>? dropped = null;
        foreach (var streamed in ready)
        {
            _ring.Add(streamed);
            foreach (var subscription in _subscriptions)
            {
                if (subscription.Filter.Matches(streamed.Event) && !subscription.TryWrite(streamed))
                {
                    (dropped ??= []).Add(subscription);
                }
            }
            foreach (var subscription in dropped ?? [])
            {
                _subscriptions.Remove(subscription);
            }
        }
        return dropped;
    }

    private void DropAll(List<EventSubscription>? dropped)
    {
        foreach (var subscription in dropped ?? [])
        {
            _logger.LogWarning("Dropped an event stream client that fell {Buffer} events behind (filter {Filter})",
                _options.ClientBufferSize, subscription.Filter);
            subscription.Drop();
        }
    }

    public void Dispose() => _sweep.Dispose();
}
