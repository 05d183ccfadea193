using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Metrics;

/// <summary>
/// The local provider's own load-balancer metrics as a metric source (<c>query.type: local</c>). Like every Kayenta
/// source it reads a metrics store, not the balancers: Prometheus scrapes each balancer's <c>/metrics</c>
/// (<c>loadbalancer_requests_total</c>, <c>loadbalancer_errors_total</c>, <c>loadbalancer_request_duration_seconds</c>,
/// labelled <c>server_group</c>), and this source turns <c>query.metricName</c> into the PromQL for it, so a canary
/// config needs no PromQL. The scope is the server group, the location its account (the scrape config's
/// <see cref="LocalMetricsOptions.LocationLabel"/> label on each balancer target).
/// </summary>
public sealed class LocalBalancerMetricSource(PrometheusMetricSource prometheus, IOptions<LocalMetricsOptions> options) : IMetricSource
{
    /// <summary>The names <c>query.metricName</c> may take, each per step: requests/s, 5xx/s, 5xx share of requests, mean and percentile latency in seconds.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
        ["requests", "errors", "error_ratio", "latency_mean", "latency_p50", "latency_p90", "latency_p99"];

    public string Type => Configs.MetricSourceTypes.Local;

    public Task<double[]> FetchAsync(MetricQuery query, CancellationToken cancellationToken) =>
        prometheus.FetchAsync(PromQl(query), query, cancellationToken);

    /// <summary>The PromQL for the query's metric, scope and location.</summary>
    /// <exception cref="MetricSourceException">The metric name is not one of <see cref="MetricNames"/>.</exception>
    public string PromQl(MetricQuery query)
    {
        var metric = query.Query["metricName"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        var selector = $"server_group=\"{PromQlTemplate.Escape(query.Scope)}\"";
        if (!string.IsNullOrEmpty(query.Location))
        {
            selector += $",{options.Value.LocationLabel}=\"{PromQlTemplate.Escape(query.Location)}\"";
        }
        var window = Math.Max(options.Value.MinRateWindowSeconds, query.Step.TotalSeconds);
        var range = $"[{Math.Ceiling(window * 1000).ToString(CultureInfo.InvariantCulture)}ms]";
        string Rate(string name) => $"sum(rate({name}{{{selector}}}{range}))";
        // The error counter of a group appears with its first 5xx: until then, no errors is 0, not a missing point.
        var errors = $"({Rate("loadbalancer_errors_total")} or {Rate("loadbalancer_requests_total")} * 0)";
        string Quantile(string q) =>
            $"histogram_quantile({q}, sum by (le) (rate(loadbalancer_request_duration_seconds_bucket{{{selector}}}{range})))";
        return metric switch
        {
            "requests" => Rate("loadbalancer_requests_total"),
            "errors" => errors,
            "error_ratio" => $"{errors} / {Rate("loadbalancer_requests_total")}",
            "latency_mean" => $"{Rate("loadbalancer_request_duration_seconds_sum")} / {Rate("loadbalancer_request_duration_seconds_count")}",
            "latency_p50" => Quantile("0.5"),
            "latency_p90" => Quantile("0.9"),
            "latency_p99" => Quantile("0.99"),
            _ => throw new MetricSourceException($"A local query's metricName must be one of {string.Join(", ", MetricNames)}, not '{metric}'."),
        };
    }
}
