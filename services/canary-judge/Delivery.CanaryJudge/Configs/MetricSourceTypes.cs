namespace Delivery.CanaryJudge.Configs;

/// <summary>The metric sources a canary config's <c>query.type</c> may name.</summary>
public static class MetricSourceTypes
{
    /// <summary>Prometheus <c>query_range</c> (Kayenta's <c>PrometheusCanaryMetricSetQueryConfig</c>).</summary>
    public const string Prometheus = "prometheus";

    /// <summary>The local provider's own load-balancer metrics.</summary>
    public const string Local = "local";

    public static IReadOnlyList<string> Known { get; } = [Prometheus, Local];
}
