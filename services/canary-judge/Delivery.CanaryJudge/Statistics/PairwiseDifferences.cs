namespace Delivery.CanaryJudge.Statistics;

/// <summary>
/// Order statistics of the m·n differences <c>x[i] - y[j]</c> of two sorted samples, found without
/// materialising them: a bisection over the (ordered) bit patterns of doubles narrows the value range
/// by counting differences at or below a value in O(m + n), and only the few differences left in the
/// final range are collected and sorted. Memory stays O(m + n) even at 5,000 × 5,000 points.
/// </summary>
internal sealed class PairwiseDifferences
{
    private readonly double[] _x;
    private readonly double[] _y;

    /// <param name="sortedX">The first sample, ascending, finite.</param>
    /// <param name="sortedY">The second sample, ascending, finite.</param>
    public PairwiseDifferences(double[] sortedX, double[] sortedY)
    {
        _x = sortedX;
        _y = sortedY;
    }

    /// <summary>How many differences there are (m·n).</summary>
    public long Count => (long)_x.Length * _y.Length;

    /// <summary>The smallest difference, <c>min(x) - max(y)</c>.</summary>
    public double Min => _x[0] - _y[^1];

    /// <summary>The largest difference, <c>max(x) - min(y)</c>.</summary>
    public double Max => _x[^1] - _y[0];

    /// <summary>The k-th smallest difference, 1-based as R's <c>sort(outer(x, y, "-"))[k]</c>.</summary>
    public double Select(long k)
    {
        if (k < 1 || k > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"must be in 1..{Count}");
        }
        // Invariant: CountAtMost(lo) < k <= CountAtMost(hi).
        var hiKey = Key(Max);
        var loKey = Key(Min) - 1;
        long countLo = 0, countHi = Count;
        var budget = 2L * (_x.Length + _y.Length) + 64;
        while (hiKey - loKey > 1 && countHi - countLo > budget)
        {
            var midKey = loKey + (hiKey - loKey) / 2;
            var count = CountAtMost(FromKey(midKey));
            if (count >= k)
            {
                hiKey = midKey;
                countHi = count;
            }
            else
            {
                loKey = midKey;
                countLo = count;
            }
        }
        if (hiKey - loKey == 1)
        {
            return FromKey(hiKey);
        }
        var between = Between(FromKey(loKey), FromKey(hiKey), (int)(countHi - countLo));
        Array.Sort(between);
        return between[k - countLo - 1];
    }

    /// <summary>The median of the differences: the Hodges-Lehmann estimate of the shift x - y.</summary>
    public double Median()
    {
        var n = Count;
        return n % 2 == 1 ? Select((n + 1) / 2) : (Select(n / 2) + Select(n / 2 + 1)) / 2;
    }

    /// <summary>How many differences are at or below <paramref name="t"/>.</summary>
    public long CountAtMost(double t)
    {
        // For each x[i], the differences x[i] - y[j] fall as j grows; the first j where they are
        // <= t only moves right as x[i] grows.
        long count = 0;
        var j = 0;
        var n = _y.Length;
        foreach (var xi in _x)
        {
            while (j < n && xi - _y[j] > t)
            {
                j++;
            }
            count += n - j;
        }
        return count;
    }

    private double[] Between(double lo, double hi, int expected)
    {
        var result = new double[expected];
        var filled = 0;
        int jHi = 0, jLo = 0;
        var n = _y.Length;
        foreach (var xi in _x)
        {
            while (jHi < n && xi - _y[jHi] > hi)
            {
                jHi++;
            }
            while (jLo < n && xi - _y[jLo] > lo)
            {
                jLo++;
            }
            for (var j = jHi; j < jLo; j++)
            {
                result[filled++] = xi - _y[j];
            }
        }
        return result;
    }

    /// <summary>Maps a double to a long that orders as the double does (negative values reversed).</summary>
    private static long Key(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        return bits >= 0 ? bits : bits ^ long.MaxValue;
    }

    private static double FromKey(long key) => BitConverter.Int64BitsToDouble(key >= 0 ? key : key ^ long.MaxValue);
}
