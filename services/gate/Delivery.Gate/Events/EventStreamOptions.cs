using System.ComponentModel.DataAnnotations;

namespace Delivery.Gate.Events;

/// <summary>Settings of the live <c>GET /events</c> stream, bound from <c>Delivery:Gate:Events</c>.</summary>
public sealed class EventStreamOptions
{
    public const string Section = "Delivery:Gate:Events";

    /// <summary>Recent events kept for clients that reconnect with <c>Last-Event-ID</c>.</summary>
    [Range(1, 1_000_000)] public int RingSize { get; set; } = 10_000;

    /// <summary>Oldest event, in seconds, a reconnecting client is given again; beyond that it is told to reload.</summary>
    [Range(1, 86_400)] public int RingMaxAgeSeconds { get; set; } = 600;

    /// <summary>Seconds between heartbeat comments on an idle stream, so proxies and clients see it is alive.</summary>
    [Range(1, 3_600)] public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>Events waiting to be written to one client; a client that falls this far behind is dropped.</summary>
    [Range(1, 1_000_000)] public int ClientBufferSize { get; set; } = 1_000;

    /// <summary>Clients streaming at once from this gate; more get 503.</summary>
    [Range(1, 100_000)] public int MaxClients { get; set; } = 1_000;

    /// <summary>
    /// How long, in milliseconds, an event that arrived ahead of an earlier one of its execution waits for
    /// it (events travel the bus in parallel); after that it is sent anyway and the late one dropped.
    /// </summary>
    [Range(1, 60_000)] public int ReorderWaitMs { get; set; } = 2_000;

    /// <summary>Executions without an event for this many seconds are forgotten by the reordering.</summary>
    [Range(1, 86_400)] public int ExecutionIdleSeconds { get; set; } = 600;
}
