using System.ComponentModel.DataAnnotations;

namespace Delivery.ServiceDefaults;

/// <summary>Which message transport the services use, bound from <c>Delivery:Bus</c>.</summary>
public sealed class DeliveryBusOptions
{
    public const string Section = "Delivery:Bus";

    /// <summary><c>InMemory</c> (standalone default) or <c>RabbitMq</c>.</summary>
    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    [Required] public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)] public int Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";

    /// <summary>Messages a replica takes from RabbitMQ ahead of processing them.</summary>
    [Range(1, 10_000)] public int PrefetchCount { get; set; } = 64;

    /// <summary>Messages a replica processes at the same time.</summary>
    [Range(1, 10_000)] public int ConcurrentMessageLimit { get; set; } = 32;

    /// <summary>
    /// How long a replica's bus may take to connect and start, in seconds, before the process exits with code 1 for its
    /// supervisor (Docker's restart policy, Kubernetes) to start it again. A bus that could not reach the broker when it
    /// started (a broker restarting) may never retry; a new process connects. 0 turns the check off.
    /// </summary>
    [Range(0, 3_600)] public int StartTimeoutSeconds { get; set; } = 120;
}

public enum BusTransport
{
    InMemory,
    RabbitMq,
}
