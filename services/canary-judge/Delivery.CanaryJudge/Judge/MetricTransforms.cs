using Delivery.CanaryJudge.Statistics;

namespace Delivery.CanaryJudge.Judge;

/// <summary>The judge's preprocessing of each side of a metric (Kayenta's <c>Transforms</c> and <c>IQRDetector</c>).</summary>
public static class MetricTransforms
{
    /// <summary>NaN points removed, or replaced by 0 (<c>Transforms.removeNaNs</c> / <c>replaceNaNs</c>).</summary>
    public static double[] HandleNaNs(double[] values, NanStrategy strategy)
    {
        var kept = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                kept++;
            }
        }
        if (kept == values.Length)
        {
            return values;
        }
        if (strategy == NanStrategy.Replace)
        {
            var replaced = new double[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                replaced[i] = double.IsNaN(values[i]) ? 0 : values[i];
            }
            return replaced;
        }
        var result = new double[kept];
        var k = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                result[k++] = v;
            }
        }
        return result;
    }

    /// <summary>
    /// Drops values outside the fences of Kayenta's <c>IQRDetector(factor, reduceSensitivity = true)</c>:
    /// below min(p1, Q1 - factor·IQR) or above max(p99, Q3 + factor·IQR), percentiles by R's type 7.
    /// Taking the wider of the IQR fence and the 1st/99th percentile keeps a long but real tail.
    /// </summary>
    /// <param name="sorted">Ascending, no NaN.</param>
    /// <param name="factor">The IQR multiplier, above 0.</param>
    /// <returns>The kept values, still ascending.</returns>
    public static double[] RemoveOutliers(double[] sorted, double factor)
    {
        if (sorted.Length == 0)
        {
            return sorted;
        }
        var q1 = Descriptive.Percentile(sorted, 25);
        var q3 = Descriptive.Percentile(sorted, 75);
        var iqr = q3 - q1;
        var lower = Math.Min(Descriptive.Percentile(sorted, 1), q1 - factor * iqr);
        var upper = Math.Max(Descriptive.Percentile(sorted, 99), q3 + factor * iqr);
        var from = 0;
        while (from < sorted.Length && sorted[from] < lower)
        {
            from++;
        }
        var to = sorted.Length;
        while (to > from && sorted[to - 1] > upper)
        {
            to--;
        }
        return from == 0 && to == sorted.Length ? sorted : sorted[from..to];
    }
}
