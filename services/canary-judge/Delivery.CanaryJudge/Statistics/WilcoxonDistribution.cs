using System.Collections.Concurrent;

namespace Delivery.CanaryJudge.Statistics;

/// <summary>
/// The exact null distribution of the Mann-Whitney U statistic (R's <c>dwilcox</c>/<c>pwilcox</c>/
/// <c>qwilcox</c>) for samples without ties: the number of arrangements giving each U = 0..m·n,
/// built by the recurrence f(i, j) = f(i-1, j) shifted by j + f(i, j-1) (the largest value comes
/// from x or from y), with additions only so that small tail counts keep full precision.
/// </summary>
internal sealed class WilcoxonDistribution
{
    /// <summary>R uses the exact distribution below 50 observations per sample.</summary>
    public const int ExactLimit = 50;

    private const int MaxCached = 256;
    private const double MachineEpsilon = 2.220446049250313e-16;
    private static readonly ConcurrentDictionary<(int, int), WilcoxonDistribution> Cache = new();

    private readonly double[] _counts;
    private readonly double _total;

    private WilcoxonDistribution(double[] counts)
    {
        _counts = counts;
        foreach (var c in counts)
        {
            _total += c;
        }
    }

    /// <summary>The distribution for sample sizes m and n (each below <see cref="ExactLimit"/>).</summary>
    public static WilcoxonDistribution For(int m, int n)
    {
        if (m < 1 || n < 1 || m >= ExactLimit || n >= ExactLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"sizes must be in 1..{ExactLimit - 1}, not {m} and {n}");
        }
        if (Cache.TryGetValue((m, n), out var cached))
        {
            return cached;
        }
        var built = new WilcoxonDistribution(Build(m, n));
        if (Cache.Count < MaxCached)
        {
            Cache.TryAdd((m, n), built);
        }
        return built;
    }

    /// <summary>P(U &lt;= q), as R's <c>pwilcox(q, m, n)</c>.</summary>
    public double Cdf(double q)
    {
        if (q < 0)
        {
            return 0;
        }
        var upTo = (int)Math.Min(Math.Floor(q + 1e-7), _counts.Length - 1);
        double sum = 0;
        for (var u = 0; u <= upTo; u++)
        {
            sum += _counts[u];
        }
        return sum / _total;
    }

    /// <summary>P(U &gt;= q), summed from the upper tail so that small p-values stay exact.</summary>
    public double UpperTail(double q)
    {
        var from = (int)Math.Max(0, Math.Ceiling(q - 1e-7));
        double sum = 0;
        for (var u = _counts.Length - 1; u >= from; u--)
        {
            sum += _counts[u];
        }
        return sum / _total;
    }

    /// <summary>The smallest q with P(U &lt;= q) &gt;= p, for p &lt;= 0.5, as R's <c>qwilcox</c>.</summary>
    public int Quantile(double p)
    {
        // R's DBL_EPSILON slack, so that a p equal to a cumulative probability is not missed by rounding.
        var target = p - 10 * MachineEpsilon;
        double cumulative = 0;
        for (var q = 0; q < _counts.Length; q++)
        {
            cumulative += _counts[q] / _total;
            if (cumulative >= target)
            {
                return q;
            }
        }
        return _counts.Length - 1;
    }

    private static double[] Build(int m, int n)
    {
        // row[j] = counts for (i, j) sample sizes, for the current i.
        var row = new double[n + 1][];
        for (var j = 0; j <= n; j++)
        {
            row[j] = [1.0];
        }
        for (var i = 1; i <= m; i++)
        {
            var next = new double[n + 1][];
            next[0] = [1.0];
            for (var j = 1; j <= n; j++)
            {
                var counts = new double[i * j + 1];
                var withoutX = row[j];           // (i-1, j): the largest value is this x, above all j y's
                for (var u = 0; u < withoutX.Length; u++)
                {
                    counts[u + j] += withoutX[u];
                }
                var withoutY = next[j - 1];      // (i, j-1): the largest value is a y
                for (var u = 0; u < withoutY.Length; u++)
                {
                    counts[u] += withoutY[u];
                }
                next[j] = counts;
            }
            row = next;
        }
        return row[n];
    }
}
