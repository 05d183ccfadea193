using System.Diagnostics.Metrics;
using MassTransit;

namespace Delivery.ServiceDefaults.Telemetry;

/// <summary>
/// How the message bus treats Delivery's messages, on the <c>Delivery.Bus</c> meter: how long a
/// message waited between being sent and being consumed, and how many failed for good.
/// </summary>
public sealed class BusMetrics
{
    public const string MeterName = "Delivery.Bus";

    private readonly Histogram<double> _consumeLag;
    private readonly Counter<long> _faulted;

    public BusMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _consumeLag = meter.CreateHistogram("delivery.bus.consume.lag", "s",
            "Time from a message's SentTime to the start of its consumption, by message type.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryTelemetry.LagBuckets });
        _faulted = meter.CreateCounter<long>("delivery.bus.faulted", "{message}",
            "Messages whose consumer failed after every retry (they go to the endpoint's _error queue, or fault the request), by message type.");
    }

    /// <summary>Records the wait of a message whose consumption starts now; a sender clock ahead of ours counts as no wait.</summary>
    public void Consuming(string messageType, DateTime? sentUtc, DateTime nowUtc)
    {
        if (sentUtc is { } sent)
        {
            _consumeLag.Record(Math.Max(0, (nowUtc - sent).TotalSeconds), new KeyValuePair<string, object?>("message_type", messageType));
        }
    }

    public void Faulted(string messageType, Exception exception) =>
        _faulted.Add(1, new KeyValuePair<string, object?>("message_type", messageType), new KeyValuePair<string, object?>("exception_type", exception.GetType().Name));

    /// <summary>
    /// Sees each message once per delivery: MassTransit calls consume observers outside the
    /// message's retry filter, so a fault here is one that retrying did not cure.
    /// </summary>
    internal sealed class Observer(BusMetrics metrics) : IConsumeObserver
    {
        public Task PreConsume<T>(ConsumeContext<T> context) where T : class
        {
            metrics.Consuming(typeof(T).Name, context.SentTime, DateTime.UtcNow);
            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
        {
            metrics.Faulted(typeof(T).Name, exception);
            return Task.CompletedTask;
        }
    }
}
