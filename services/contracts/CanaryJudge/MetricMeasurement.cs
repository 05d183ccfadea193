namespace Delivery.Contracts.CanaryJudge;

/// <summary>The value of one measured metric, or why there is none.</summary>
/// <param name="Name">The query's <see cref="MetricMeasurementQuery.Name"/>.</param>
/// <param name="Value">The value at the measured moment; null when the source has no value there.</param>
/// <param name="Error">Why the source could not be read (down, a refused query); null when it was.</param>
public sealed record MetricMeasurement(string Name, double? Value, string? Error);
