using System.Collections.Concurrent;
using System.Diagnostics;
using Delivery.Gate.Tests.TestHost;
using Delivery.ServiceDefaults.Telemetry;

namespace Delivery.Gate.Tests.Telemetry;

/// <summary>A trigger's trace runs from gate's request through the bus to the engine, naming the execution.</summary>
public sealed class TraceTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private readonly GateClient _client = factory.CreateGateClient();

    [Fact]
    public async Task Trigger_GateRequestAndEngineConsumeSpans_CarryTheExecutionIdInOneTrace()
    {
        var app = GateClient.Unique("trace");
        var name = GateClient.Unique("pipeline");
        await _client.SaveStagesAsync(app, name, GateClient.Wait("1", 0));
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var id = await _client.TriggerAsync(app, name);
        await _client.WaitForStatusAsync(id, "SUCCEEDED");

        List<Activity> tagged = [];
        var watch = Stopwatch.StartNew();
        // Spans stop after their response or message is done with, a moment after the state shows it.
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            tagged = [.. spans.Where(s => Equals(s.GetTagItem(DeliveryTelemetry.ExecutionIdAttribute), id))];
            if (tagged.Any(s => s.Source.Name == "Microsoft.AspNetCore") && tagged.Any(IsEngineStart))
            {
                break;
            }
            await Task.Delay(50);
        }

        var gate = Assert.Single(tagged, s => s.Source.Name == "Microsoft.AspNetCore");
        var engine = tagged.FirstOrDefault(IsEngineStart);
        Assert.True(engine is not null, "No engine span names the execution; the trace has: "
            + string.Join("; ", spans.Where(s => s.TraceId == gate.TraceId).Select(s => $"{s.Source.Name} {s.DisplayName}")));
        Assert.Equal(gate.TraceId, engine.TraceId);
    }

    // MassTransit's consume span of the engine's first message (one bus hop after the trigger's own consumer).
    private static bool IsEngineStart(Activity span) =>
        span.Source.Name == "MassTransit"
        && span.GetTagItem("messaging.masstransit.consumer_type") is string consumer
        && consumer.Contains("EngineConsumer<Delivery.Orchestrator.Messages.StartExecution>", StringComparison.Ordinal);
}
