using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Delivery.ServiceDefaults;
using Delivery.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Delivery.Gate.Tests.Telemetry;

/// <summary>
/// The bus instruments every host gets from <c>AddDeliveryBus</c>: consume lag per delivery, and a
/// fault counted once when the retry policy gives up, not once per attempt.
/// </summary>
public sealed class BusMetricsTests
{
    /// <summary>A message only this test sends.</summary>
    public sealed record ProbeFault(Guid Id);

    /// <summary>Fails twice with an error the retry policy retries, then with one it does not.</summary>
    public sealed class FailingConsumer : IConsumer<ProbeFault>
    {
        public static readonly ConcurrentDictionary<Guid, int> Attempts = new();

        public Task Consume(ConsumeContext<ProbeFault> context)
        {
            var attempt = Attempts.AddOrUpdate(context.Message.Id, 1, (_, n) => n + 1);
            throw attempt < 3 ? new InvalidOperationException("transient") : new ArgumentException("permanent");
        }
    }

    [Fact]
    public async Task AFaultAfterRetries_IsCountedOnce_AndItsConsumeLagOnce()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Delivery:Bus:Transport"] = "InMemory" });
        builder.AddServiceDefaults();
        builder.Services.AddDeliveryConsumers(x => x.AddConsumer<FailingConsumer>());
        builder.AddDeliveryBus();
        using var host = builder.Build();
        var scope = host.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BusMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, new(tags.ToArray()))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, new(tags.ToArray()))));
        listener.Start();
        await host.StartAsync();
        try
        {
            var id = Guid.NewGuid();
            await host.Services.GetRequiredService<IBus>().Publish(new ProbeFault(id));

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!measurements.Any(m => m.Name == "delivery.bus.faulted") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            // Anything counted late (a second fault) would show up by now.
            await Task.Delay(300);

            Assert.Equal(3, FailingConsumer.Attempts[id]);
            var fault = Assert.Single(measurements, m => m.Name == "delivery.bus.faulted");
            Assert.Equal(1, fault.Value);
            Assert.Equal(nameof(ProbeFault), fault.Tags["message_type"]);
            Assert.Equal(nameof(ArgumentException), fault.Tags["exception_type"]);
            var lag = Assert.Single(measurements, m => m.Name == "delivery.bus.consume.lag" && Equals(m.Tags["message_type"], nameof(ProbeFault)));
            Assert.InRange(lag.Value, 0, 20);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
