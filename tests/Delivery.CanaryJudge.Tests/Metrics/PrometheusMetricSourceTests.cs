using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Judge;
using Delivery.CanaryJudge.Metrics;
using Delivery.CanaryJudge.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Tests.Metrics;

public class PrometheusMetricSourceTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>
{
    private PrometheusMetricSource Source(string baseUrl)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(PrometheusMetricSource.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        return new PrometheusMetricSource(services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
            Options.Create(new PrometheusOptions { BaseUrl = baseUrl }), Options.Create(new CanaryJudgeOptions()));
    }

    /// <summary>Four one-second steps, all after the first scrape and already in the past.</summary>
    private async Task<MetricQuery> RangeAsync(JsonObject query, string scope, string? location = null)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(prometheus.DataSince.ToUnixTimeSeconds() + 1);
        var end = start.AddSeconds(3);
        var wait = end.AddSeconds(1) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
        return new MetricQuery(query, scope, location, start, end, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_template_is_filled_with_scope_and_location_and_gives_one_value_per_step()
    {
        var query = new JsonObject { ["type"] = "prometheus", ["customInlineTemplate"] = "judge_test_errors{scope=\"${scope}\",location=\"${location}\"}" };

        var canary = await Source(prometheus.BaseUrl).FetchAsync(await RangeAsync(query, "canary", "local"), default);
        var baseline = await Source(prometheus.BaseUrl).FetchAsync(await RangeAsync(query, "baseline", "local"), default);

        Assert.Equal([4.0, 4.0, 4.0, 4.0], canary);
        Assert.Equal([1.0, 1.0, 1.0, 1.0], baseline);
    }

    [Fact]
    public async Task A_metric_name_alone_sums_the_scope_series()
    {
        var query = new JsonObject { ["type"] = "prometheus", ["metricName"] = "judge_test_requests" };

        var values = await Source(prometheus.BaseUrl).FetchAsync(await RangeAsync(query, "canary"), default);

        Assert.Equal([15.0, 15.0, 15.0, 15.0], values);
    }

    [Fact]
    public async Task No_series_gives_NaN_points_and_a_quote_in_the_scope_cannot_break_out()
    {
        var query = new JsonObject { ["type"] = "prometheus", ["customInlineTemplate"] = "judge_test_errors{scope=\"${scope}\"}" };

        var values = await Source(prometheus.BaseUrl).FetchAsync(await RangeAsync(query, "canary\"} or vector(1) or {x=\""), default);

        Assert.Equal(4, values.Length);
        Assert.All(values, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public async Task Bad_queries_and_an_unreachable_prometheus_raise_a_reason()
    {
        var bad = new JsonObject { ["type"] = "prometheus", ["customInlineTemplate"] = "sum(judge_test_errors{" };
        var refused = await Assert.ThrowsAsync<MetricSourceException>(async () => await Source(prometheus.BaseUrl).FetchAsync(await RangeAsync(bad, "canary"), default));
        Assert.Contains("refused", refused.Message);

        var unknown = new JsonObject { ["type"] = "prometheus", ["customInlineTemplate"] = "x{a=\"${region}\"}" };
        var placeholder = await Assert.ThrowsAsync<MetricSourceException>(async () => await Source(prometheus.BaseUrl).FetchAsync(await RangeAsync(unknown, "canary"), default));
        Assert.Contains("${region}", placeholder.Message);

        var query = new JsonObject { ["type"] = "prometheus", ["metricName"] = "judge_test_errors" };
        var down = await Assert.ThrowsAsync<MetricSourceException>(async () => await Source("http://127.0.0.1:9").FetchAsync(await RangeAsync(query, "canary"), default));
        Assert.Contains("did not answer", down.Message);
    }

    [Fact]
    public async Task Points_fetched_from_prometheus_judge_the_canary_high()
    {
        var query = new JsonObject { ["type"] = "prometheus", ["customInlineTemplate"] = "judge_test_errors{scope=\"${scope}\"}" };
        var source = Source(prometheus.BaseUrl);
        var control = await source.FetchAsync(await RangeAsync(query, "baseline"), default);
        var experiment = await source.FetchAsync(await RangeAsync(query, "canary"), default);
        var config = new CanaryConfig("errors", [new CanaryMetric("errors", "prometheus", ["g"], new MetricAnalysis { Direction = MetricDirection.Increase, Critical = true })],
            new Dictionary<string, double> { ["g"] = 100 });

        var judgement = new NetflixAcaJudge().Judge(config, [new MetricSet("errors", control, experiment)], new ScoreThresholds(50, 75));

        Assert.Equal(MetricClassifications.High, judgement.Metrics[0].Classification);
        Assert.Equal(0, judgement.Score);
    }
}
