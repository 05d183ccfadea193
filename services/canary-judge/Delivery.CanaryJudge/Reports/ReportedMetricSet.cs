namespace Delivery.CanaryJudge.Reports;

/// <summary>One metric's input points in a report; null where the point was missing (NaN).</summary>
public sealed record ReportedMetricSet(string Name, double?[] Control, double?[] Experiment);
