using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Metrics;
using Delivery.CanaryJudge.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Tests.Metrics;

/// <summary>
/// The local source's PromQL, run by a real Prometheus (which refuses a query it cannot parse). The balancer series
/// themselves are exercised end to end in Delivery.CanaryJudge.Stages.Tests.
/// </summary>
public class LocalBalancerMetricSourceTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>
{
    private LocalBalancerMetricSource Source()
    {
        var services = new ServiceCollection();
        services.AddHttpClient(PrometheusMetricSource.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        var inner = new PrometheusMetricSource(services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
            Options.Create(new PrometheusOptions { BaseUrl = prometheus.BaseUrl }), Options.Create(new CanaryJudgeOptions()));
        return new LocalBalancerMetricSource(inner, Options.Create(new LocalMetricsOptions { MinRateWindowSeconds = 5 }));
    }

    private MetricQuery Query(string metricName, string scope = "demo-web-v001", string? location = "local") => new(
        new JsonObject { ["type"] = "local", ["metricName"] = metricName }, scope, location,
        prometheus.DataSince, prometheus.DataSince.AddSeconds(2), TimeSpan.FromSeconds(1));

    public static TheoryData<string> MetricNames() => [.. LocalBalancerMetricSource.MetricNames];

    [Theory]
    [MemberData(nameof(MetricNames))]
    public async Task Every_metric_name_is_a_query_prometheus_accepts(string metricName)
    {
        var values = await Source().FetchAsync(Query(metricName), default);

        // No balancer is scraped here: accepted, and no value at any step.
        Assert.Equal(3, values.Length);
        Assert.All(values, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void The_scope_and_location_select_by_server_group_and_account_and_cannot_change_the_query()
    {
        var promQl = Source().PromQl(Query("requests", scope: "x\"} or vector(1) or {a=\"", location: "local"));

        Assert.Equal("sum(rate(loadbalancer_requests_total{server_group=\"x\\\"} or vector(1) or {a=\\\"\",account=\"local\"}[5000ms]))", promQl);
    }

    [Fact]
    public async Task An_unknown_metric_name_is_refused_with_the_known_ones()
    {
        var error = await Assert.ThrowsAsync<MetricSourceException>(() => Source().FetchAsync(Query("cpu"), default));

        Assert.Contains("requests, errors, error_ratio", error.Message);
    }
}
