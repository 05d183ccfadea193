using System.ComponentModel.DataAnnotations;

namespace Delivery.CanaryJudge.Metrics;

/// <summary>The Prometheus metric source, bound from <c>Delivery:CanaryJudge:Prometheus</c>.</summary>
public sealed class PrometheusOptions
{
    public const string Section = "Delivery:CanaryJudge:Prometheus";

    /// <summary>Prometheus' base address; <c>/api/v1/query_range</c> is appended.</summary>
    [Required, Url] public string BaseUrl { get; set; } = "http://127.0.0.1:9090";

    /// <summary>Longest wait for one query.</summary>
    [Range(1, 600)] public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Largest answer read, in bytes.</summary>
    [Range(1_024, 1_073_741_824)] public int MaxResponseBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>The label a query built from <c>metricName</c> alone selects the scope by.</summary>
    [Required, RegularExpression("^[a-zA-Z_][a-zA-Z0-9_]*$")] public string ScopeLabel { get; set; } = "scope";

    /// <summary>The label a query built from <c>metricName</c> alone selects the location by (when one is given).</summary>
    [Required, RegularExpression("^[a-zA-Z_][a-zA-Z0-9_]*$")] public string LocationLabel { get; set; } = "location";
}
