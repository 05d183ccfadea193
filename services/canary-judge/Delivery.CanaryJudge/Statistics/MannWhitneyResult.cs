namespace Delivery.CanaryJudge.Statistics;

/// <summary>
/// The outcome of a two-sided Mann-Whitney U test of x against y, as R's
/// <c>wilcox.test(x, y, conf.int = TRUE)</c> reports it.
/// </summary>
/// <param name="U">R's W: the number of pairs with x &gt; y, ties counted one half.</param>
/// <param name="PValue">Two-sided p-value of "no location shift".</param>
/// <param name="Lower">Lower end of the confidence interval of the shift x - y.</param>
/// <param name="Upper">Upper end of the confidence interval of the shift x - y.</param>
/// <param name="Estimate">Hodges-Lehmann estimate of the shift: the median of all differences x[i] - y[j].</param>
/// <param name="Exact">True when the exact distribution was used (both samples below 50 points, no ties).</param>
public readonly record struct MannWhitneyResult(double U, double PValue, double Lower, double Upper, double Estimate, bool Exact);
