using MathNet.Numerics.Distributions;

namespace Delivery.CanaryJudge.Statistics;

/// <summary>
/// Two-sample, two-sided Mann-Whitney U test (Wilcoxon rank-sum) with the Hodges-Lehmann
/// confidence interval of the location shift, matching R's <c>wilcox.test(x, y, conf.int = TRUE)</c>
/// (Kayenta's <c>MannWhitney</c> is a port of its normal-approximation branch):
/// <list type="bullet">
/// <item>both samples below 50 points and no ties: exact distribution of U; the interval is
/// <c>diffs[qu]</c>..<c>diffs[m·n - qu + 1]</c> with <c>qu = qwilcox(α/2)</c>;</item>
/// <item>otherwise: normal approximation with tie correction and continuity correction; each end of the
/// interval is the root of the standardised statistic minus the normal quantile as a function of the
/// shift. That function is a step function that jumps at the pairwise differences, so the root R's
/// <c>uniroot</c> converges to (to within its tolerance of 1e-4) is the pairwise difference computed here
/// directly by selection.</item>
/// </list>
/// The estimate is the median of the differences; R's exact branch reports the same, its normal
/// branch a root of the uncorrected statistic, which is the same value for an odd m·n and a point
/// between the two middle differences for an even one.
/// When every difference is equal (both samples constant), where R stops ("all observations are tied")
/// and Kayenta adds Gaussian noise, the interval and estimate are that difference, the limit of the
/// noisy answer.
/// </summary>
public static class MannWhitneyTest
{
    /// <summary>Runs the test of x against y; the shift is x - y.</summary>
    /// <param name="x">First sample (the experiment), finite values, at least one.</param>
    /// <param name="y">Second sample (the control), finite values, at least one.</param>
    /// <param name="confidenceLevel">Confidence level of the interval, in (0, 1).</param>
    /// <exception cref="ArgumentException">A sample is empty or the confidence level is outside (0, 1).</exception>
    public static MannWhitneyResult Run(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double confidenceLevel = 0.95)
    {
        var xs = x.ToArray();
        var ys = y.ToArray();
        Array.Sort(xs);
        Array.Sort(ys);
        return RunSorted(xs, ys, confidenceLevel);
    }

    /// <summary>As <see cref="Run"/>, for samples already in ascending order (not copied).</summary>
    internal static MannWhitneyResult RunSorted(double[] xs, double[] ys, double confidenceLevel)
    {
        if (xs.Length == 0 || ys.Length == 0)
        {
            throw new ArgumentException("Both samples need at least one value.");
        }
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentException($"The confidence level must be in (0, 1), not {confidenceLevel}.", nameof(confidenceLevel));
        }
        var ranks = RankSum.Of(xs, ys, 0);
        var diffs = new PairwiseDifferences(xs, ys);
        double m = xs.Length, n = ys.Length, mn = m * n;
        var alpha = 1 - confidenceLevel;

        if (xs.Length < WilcoxonDistribution.ExactLimit && ys.Length < WilcoxonDistribution.ExactLimit && !ranks.HasTies)
        {
            var distribution = WilcoxonDistribution.For(xs.Length, ys.Length);
            var tail = ranks.U > mn / 2 ? distribution.UpperTail(ranks.U) : distribution.Cdf(ranks.U);
            var qu = Math.Max(1, distribution.Quantile(alpha / 2));
            var count = diffs.Count;
            return new MannWhitneyResult(ranks.U, Math.Min(2 * tail, 1), diffs.Select(qu), diffs.Select(count - qu + 1), diffs.Median(), Exact: true);
        }

        var sigma = Sigma(m, n, ranks.TieTerm);
        var z = ranks.U - mn / 2;
        z = (z - Math.Sign(z) * 0.5) / sigma;
        var pValue = 2 * Normal.CDF(0, 1, -Math.Abs(z));
        if (diffs.Min == diffs.Max)
        {
            return new MannWhitneyResult(ranks.U, pValue, diffs.Min, diffs.Min, diffs.Min, Exact: false);
        }
        var quantile = Normal.InvCDF(0, 1, 1 - alpha / 2);
        var lower = Root(xs, ys, diffs, quantile);
        var upper = Root(xs, ys, diffs, -quantile);
        return new MannWhitneyResult(ranks.U, pValue, lower, upper, diffs.Median(), Exact: false);
    }

    /// <summary>
    /// The shift d where R's <c>wdiff(d, zq)</c> (continuity-corrected z of x - d against y, minus zq)
    /// changes sign. Its value is checked at the ends as R does; inside, between two differences the
    /// statistic counts the differences above d and its ties are those within x and within y only.
    /// </summary>
    private static double Root(double[] xs, double[] ys, PairwiseDifferences diffs, double zq)
    {
        double m = xs.Length, n = ys.Length, mn = m * n;
        if (ShiftedZ(xs, ys, diffs.Min) - zq <= 0)
        {
            return diffs.Min;
        }
        if (ShiftedZ(xs, ys, diffs.Max) - zq >= 0)
        {
            return diffs.Max;
        }
        var sigma = Sigma(m, n, RankSum.TieTermWithin(xs) + RankSum.TieTermWithin(ys));
        // The largest count w of differences above d for which the statistic is below zq.
        var w = (long)Math.Floor(mn / 2 + zq * sigma + 0.5);
        w = Math.Clamp(w, -1, (long)mn);
        while (w + 1 <= (long)mn && Corrected(w + 1, mn, sigma) < zq)
        {
            w++;
        }
        while (w >= 0 && Corrected(w, mn, sigma) >= zq)
        {
            w--;
        }
        return diffs.Select(Math.Clamp((long)mn - w, 1, (long)mn));
    }

    private static double Corrected(double u, double mn, double sigma)
    {
        var z = u - mn / 2;
        return (z - Math.Sign(z) * 0.5) / sigma;
    }

    private static double ShiftedZ(double[] xs, double[] ys, double shift)
    {
        var ranks = RankSum.Of(xs, ys, shift);
        return Corrected(ranks.U, (double)xs.Length * ys.Length, Sigma(xs.Length, ys.Length, ranks.TieTerm));
    }

    /// <summary>Standard deviation of U under the null, with R's tie correction Σ(t³ - t).</summary>
    private static double Sigma(double m, double n, double tieTerm) =>
        Math.Sqrt(m * n / 12 * (m + n + 1 - tieTerm / ((m + n) * (m + n - 1))));
}
