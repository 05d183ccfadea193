using System.ComponentModel.DataAnnotations;

namespace Delivery.CanaryJudge.Metrics;

/// <summary>The <c>local</c> metric source (the local provider's balancer metrics, read through Prometheus), bound from <c>Delivery:CanaryJudge:Local</c>.</summary>
public sealed class LocalMetricsOptions
{
    public const string Section = "Delivery:CanaryJudge:Local";

    /// <summary>
    /// The shortest <c>rate()</c> window, in seconds; the window is the larger of this and the query's step. It must
    /// hold at least two scrapes of the balancers (four times the scrape interval is safe).
    /// </summary>
    [Range(0.1, 3600)] public double MinRateWindowSeconds { get; set; } = 60;

    /// <summary>The label the scrape config gives each balancer target for its account; a query's location selects by it.</summary>
    [Required, RegularExpression("^[a-zA-Z_][a-zA-Z0-9_]*$")] public string LocationLabel { get; set; } = "account";
}
