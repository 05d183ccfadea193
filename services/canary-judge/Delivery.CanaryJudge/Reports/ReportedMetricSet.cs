namespace Delivery.CanaryJudge.Reports;

/// <summary>One metric's input points in a report; null where the point was missing (NaN).</summary>
public sealed record ReportedMetricSet(string Name, double?[] Control, double?[] Experiment)
{
    /// <summary>The points as reported: NaN becomes null.</summary>
    public static double?[] Points(double[] values)
    {
        var points = new double?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            points[i] = double.IsNaN(values[i]) ? null : values[i];
        }
        return points;
    }
}
