namespace Delivery.CanaryJudge.Judge;

/// <summary>Kayenta's metric classification labels, spelled as its reports spell them (<c>MetricClassificationLabel</c>).</summary>
public static class MetricClassifications
{
    public const string Pass = "Pass";
    public const string High = "High";
    public const string Low = "Low";

    /// <summary>No data on a side; does not count in its group's score.</summary>
    public const string Nodata = "Nodata";

    /// <summary>No data for a metric with <c>mustHaveData</c>: counts in its group as not passing.</summary>
    public const string NodataFailMetric = "NodataFailMetric";

    /// <summary>The metric could not be judged; does not count in its group's score.</summary>
    public const string Error = "Error";
}
