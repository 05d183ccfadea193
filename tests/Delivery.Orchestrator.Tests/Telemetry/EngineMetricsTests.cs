using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Diagnostics.Metrics;
using Delivery.Orchestrator.Telemetry;
using Delivery.Orchestrator.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Orchestrator.Tests.Telemetry;

/// <summary>
/// The engine's instruments count what happened once, even when parallel branches make the engine
/// retry a change after a save conflict. A host of its own, so no other test's executions count here.
/// </summary>
public sealed class EngineMetricsTests : IDisposable
{
    private readonly StandaloneFactory _factory = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public EngineMetricsTests()
    {
        var client = _factory.CreateClient();
        client.Dispose();
        // Meters made by this host's factory only: other hosts in the test process have their own.
        var scope = _factory.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue((instrument.Name, value, new Dictionary<string, object?>(tags.ToArray())));

    private double Sum(string instrument, string? status = null, string? stageType = null) =>
        _measurements.Where(m => m.Instrument == instrument
                && (status is null || Equals(m.Tags.GetValueOrDefault("status"), status))
                && (stageType is null || Equals(m.Tags.GetValueOrDefault("stage_type"), stageType)))
            .Sum(m => instrument.EndsWith("duration", StringComparison.Ordinal) || instrument.EndsWith("lag", StringComparison.Ordinal) ? 1 : m.Value);

    [Fact]
    public async Task ForkJoinExecutions_AreCountedOnceEach_WithEveryStageDuration()
    {
        var client = _factory.CreateDeliveryClient();
        // Six branches end at once and race to save: some attempts lose and are applied again.
        JsonObject[] stages =
        [
            DeliveryClient.Wait("start", 0),
            .. Enumerable.Range(1, 6).Select(i => DeliveryClient.Wait($"b{i}", 0, "start")),
            DeliveryClient.Wait("join", 0.05, [.. Enumerable.Range(1, 6).Select(i => $"b{i}")]),
        ];
        var name = await client.SaveStagesAsync("metrics-fork-join", stages);

        var ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.TriggerAsync("test", name)));
        foreach (var id in ids)
        {
            await client.WaitForStatusAsync(id, "SUCCEEDED");
        }
        // The completion is counted right after its save, a moment before the execution reads as done.
        await WaitUntilAsync(() => Sum("delivery.executions.completed") >= 4);

        Assert.Equal(4, Sum("delivery.executions.started"));
        Assert.Equal(4, Sum("delivery.executions.completed", status: "SUCCEEDED"));
        Assert.Equal(4, Sum("delivery.executions.completed"));
        Assert.Equal(4 * 8, Sum("delivery.stage.duration", status: "SUCCEEDED", stageType: "wait"));
        Assert.Equal(4 * 8, Sum("delivery.stage.duration"));
        // Each execution's join waits 50 ms on a timer.
        Assert.True(Sum("delivery.timer.lag") >= 4);
        Assert.All(_measurements.Where(m => m.Instrument == "delivery.stage.duration"), m => Assert.InRange(m.Value, 0, 30));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _factory.Dispose();
    }
}
