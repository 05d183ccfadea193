using System.Diagnostics;
using System.Net;
using Delivery.Gate.Tests.TestHost;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delivery.Gate.Tests.Telemetry;

/// <summary><c>/metrics</c> of the standalone host after a pipeline ran, in the Prometheus text format.</summary>
public sealed class MetricsEndpointTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private readonly GateClient _client = factory.CreateGateClient();

    [Fact]
    public async Task Metrics_AfterAPipelineRuns_NameTheEngineAndBusInstruments()
    {
        // A wait stage goes through the timer dispatcher; the rest through the bus.
        var id = await _client.RunAsync(GateClient.Unique("metrics"), GateClient.Wait("1", 0.05), GateClient.Wait("2", 0, "1"));
        await _client.WaitForStatusAsync(id, "SUCCEEDED");

        string[] expected =
        [
            "delivery_executions_started_total",
            "delivery_executions_completed_total{otel_scope_name=\"Delivery.Orchestrator\",status=\"SUCCEEDED\"}",
            "delivery_stage_duration_seconds_bucket{otel_scope_name=\"Delivery.Orchestrator\",stage_type=\"wait\",status=\"SUCCEEDED\"",
            "delivery_timer_lag_seconds_count",
            "delivery_bus_consume_lag_seconds_bucket{otel_scope_name=\"Delivery.Bus\",message_type=\"StartExecution\"",
            "# TYPE delivery_executions_started_total counter",
            "# TYPE delivery_stage_duration_seconds histogram",
        ];
        var text = "";
        var watch = Stopwatch.StartNew();
        // The exporter caches a scrape briefly, and the completion is counted after it is saved.
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var response = await _client.Http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            text = await response.Content.ReadAsStringAsync();
            if (expected.All(text.Contains))
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"Missing from /metrics: {string.Join(", ", expected.Where(e => !text.Contains(e)))}");
    }

    [Fact]
    public void MassTransitUsageTelemetry_IsOff()
    {
        Assert.False(factory.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
