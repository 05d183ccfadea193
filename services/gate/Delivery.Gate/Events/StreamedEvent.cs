using System.Text;
using System.Text.Json;
using Delivery.Contracts.Orchestration;
using Delivery.ServiceDefaults;

namespace Delivery.Gate.Events;

/// <summary>An event as gate streams it: its server-sent-events frame is encoded once, for every client.</summary>
public sealed class StreamedEvent(IExecutionEvent @event, long receivedAt)
{
    public IExecutionEvent Event { get; } = @event;

    /// <summary>When this gate received it, in milliseconds since the Unix epoch (for the ring's age limit).</summary>
    public long ReceivedAt { get; } = receivedAt;

    /// <summary><c>id:</c> the event id, <c>event:</c> its type name, <c>data:</c> its JSON on one line, then a blank line.</summary>
    public byte[] Frame { get; } = Encode(@event);

    private static byte[] Encode(IExecutionEvent e)
    {
        // The serializer writes no line breaks (any inside strings are escaped), so the JSON fits one data line.
        var json = JsonSerializer.Serialize(e, e.GetType(), JsonDefaults.Options);
        return Encoding.UTF8.GetBytes($"id: {e.EventId}\nevent: {e.GetType().Name}\ndata: {json}\n\n");
    }
}
