using System.Diagnostics;
using Delivery.Integration.Tests.Infrastructure;

namespace Delivery.Integration.Tests.Telemetry;

/// <summary>A real Prometheus scrapes <c>/metrics</c> of a running standalone process and answers queries on it.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class PrometheusScrapeTests(PrometheusServer prometheus)
{
    [Fact]
    public async Task Prometheus_ScrapesTheHost_AndAQueryReturnsTheExecutionsCounter()
    {
        var logs = Machine.TempDirectory("prometheus-host");
        try
        {
            await using var host = StandaloneProcess.Start("metrics-host",
                new Dictionary<string, string> { ["Delivery:Bus:Transport"] = "InMemory", ["Delivery:Store:Kind"] = "InMemory" }, logs);
            await host.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            await prometheus.ScrapeAsync(host.Name, $"127.0.0.1:{host.Port}", new Dictionary<string, string> { ["instance_name"] = host.Name });

            await host.Client.SaveStagesAsync("metrics", "scraped", Pipelines.Variables("1"), Pipelines.Wait("2", 0.1, "1"));
            var id = await host.Client.TriggerAsync("metrics", "scraped");
            await host.Client.WaitForStatusAsync(id, "SUCCEEDED", TimeSpan.FromSeconds(30));

            var selector = $"{{instance_name=\"{host.Name}\"}}";
            var started = await WaitForSeriesAsync($"delivery_executions_started_total{selector}");
            Assert.True(started.Value >= 1, $"started = {started.Value}");
            var completed = await WaitForSeriesAsync($"delivery_executions_completed_total{{instance_name=\"{host.Name}\",status=\"SUCCEEDED\"}}");
            Assert.True(completed.Value >= 1, $"completed = {completed.Value}");
            Assert.Equal("Delivery.Orchestrator", completed.Labels["otel_scope_name"]?.GetValue<string>());
            var stages = await WaitForSeriesAsync($"sum by (stage_type) (delivery_stage_duration_seconds_count{{instance_name=\"{host.Name}\",stage_type=\"wait\"}})");
            Assert.True(stages.Value >= 1, $"wait stages = {stages.Value}");
        }
        finally
        {
            Machine.DeleteDirectory(logs);
        }
    }

    /// <summary>Queries until a series with a value of at least 1 comes back (the first scrapes follow the target file by a second or two).</summary>
    private async Task<PrometheusSample> WaitForSeriesAsync(string promQl)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            var result = await prometheus.QueryAsync(promQl);
            if (result.Count == 1 && result[0].Value >= 1)
            {
                return result[0];
            }
            await Task.Delay(250);
        }
        Assert.Fail($"'{promQl}' returned nothing of at least 1 within 30 s; targets: {await prometheus.TargetsAsync()}");
        return null!;
    }
}
