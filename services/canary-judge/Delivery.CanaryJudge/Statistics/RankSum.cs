namespace Delivery.CanaryJudge.Statistics;

/// <summary>
/// The rank-sum quantities of the pooled sample (x - shift, y) computed by merging the two sorted
/// samples instead of ranking the pool: U = Σ rank(x) - m(m+1)/2 = #(x &gt; y) + #(x = y)/2, and the tie
/// term Σ(t³ - t) over groups of equal pooled values.
/// </summary>
internal readonly record struct RankSum(double U, double TieTerm, bool HasTies)
{
    /// <param name="xs">Ascending.</param>
    /// <param name="ys">Ascending.</param>
    /// <param name="shift">Subtracted from every x, as R's <c>x - mu</c>.</param>
    public static RankSum Of(double[] xs, double[] ys, double shift)
    {
        double u = 0, tieTerm = 0;
        int i = 0, j = 0;
        while (i < xs.Length || j < ys.Length)
        {
            // The next group of equal pooled values: how many from x, how many from y.
            var value = i < xs.Length && (j >= ys.Length || xs[i] - shift <= ys[j]) ? xs[i] - shift : ys[j];
            int fromX = 0, fromY = 0;
            while (i < xs.Length && xs[i] - shift == value)
            {
                i++;
                fromX++;
            }
            while (j < ys.Length && ys[j] == value)
            {
                j++;
                fromY++;
            }
            // Every x in the group is above the j - fromY smaller y's and ties the fromY equal ones.
            u += fromX * ((j - fromY) + fromY / 2.0);
            double t = fromX + fromY;
            tieTerm += t * t * t - t;
        }
        return new RankSum(u, tieTerm, tieTerm > 0);
    }

    /// <summary>Σ(t³ - t) over groups of equal values within one sorted sample.</summary>
    public static double TieTermWithin(double[] sorted)
    {
        double term = 0;
        var start = 0;
        for (var k = 1; k <= sorted.Length; k++)
        {
            if (k == sorted.Length || sorted[k] != sorted[start])
            {
                double t = k - start;
                term += t * t * t - t;
                start = k;
            }
        }
        return term;
    }
}
