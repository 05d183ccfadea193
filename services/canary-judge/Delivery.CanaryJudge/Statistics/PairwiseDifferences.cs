namespace Delivery.CanaryJudge.Statistics;

/// <summary>
/// Order statistics of the m·n differences <c>x[i] - y[j]</c> of two sorted samples, found without
/// materialising them: a bisection narrows the value range by counting the differences at or below a
/// value in one O(m + n) pass, its ends snapped to actual differences (so ties end it at once), and
/// only the few differences left are collected and sorted. Memory stays O(m + n) even at 5,000 ×
/// 5,000 points, time O((m + n) · log(m·n)) for spread-out data.
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
        // Invariant: CountAtMost(lo) = countLo < k <= countHi = CountAtMost(hi); hi is a difference and
        // minAboveLo the smallest difference above lo, so when they meet every candidate equals hi.
        double lo = double.NegativeInfinity, hi = Max, minAboveLo = Min;
        long countLo = 0, countHi = Count;
        for (var iteration = 0; countHi - countLo > Budget; iteration++)
        {
            if (minAboveLo == hi)
            {
                return hi;
            }
            // Halve the value range while that is well-behaved, else halve the ordered bit patterns,
            // which needs at most 64 steps whatever the spread of magnitudes.
            var mid = iteration < 64 ? (double.IsNegativeInfinity(lo) ? minAboveLo : lo) / 2 + hi / 2 : MidKey(lo, hi);
            var t = Math.Max(mid, minAboveLo);
            var (count, largestAtMost, smallestAbove) = Probe(t);
            if (count >= k)
            {
                hi = largestAtMost;
                countHi = count;
            }
            else
            {
                lo = largestAtMost;
                countLo = count;
                minAboveLo = smallestAbove;
            }
        }
        var between = Between(lo, hi, (int)(countHi - countLo));
        Array.Sort(between);
        return between[k - countLo - 1];
    }

    /// <summary>The median of the differences: the Hodges-Lehmann estimate of the shift x - y.</summary>
    public double Median()
    {
        var n = Count;
        return n % 2 == 1 ? Select((n + 1) / 2) : (Select(n / 2) + Select(n / 2 + 1)) / 2;
    }

    /// <summary>
    /// In one pass: how many differences are at or below <paramref name="t"/>, the largest of them and
    /// the smallest difference above it (infinite when there is none).
    /// </summary>
    public (long Count, double LargestAtMost, double SmallestAbove) Probe(double t)
    {
        // For each x[i], the differences x[i] - y[j] fall as j grows; the first j where they are
        // <= t only moves right as x[i] grows.
        long count = 0;
        double largest = double.NegativeInfinity, smallest = double.PositiveInfinity;
        var j = 0;
        var n = _y.Length;
        foreach (var xi in _x)
        {
            while (j < n && xi - _y[j] > t)
            {
                j++;
            }
            count += n - j;
            if (j < n && xi - _y[j] > largest)
            {
                largest = xi - _y[j];
            }
            if (j > 0 && xi - _y[j - 1] < smallest)
            {
                smallest = xi - _y[j - 1];
            }
        }
        return (count, largest, smallest);
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

    /// <summary>
    /// The double halfway between two in their bit-pattern order (negative values reversed, sign bit
    /// flipped, so that the distance never overflows).
    /// </summary>
    private static double MidKey(double lo, double hi)
    {
        var a = Key(lo);
        return FromKey(a + (Key(hi) - a) / 2);
    }

    private static ulong Key(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        return (ulong)(bits >= 0 ? bits : bits ^ long.MaxValue) ^ SignBit;
    }

    private static double FromKey(ulong key)
    {
        var bits = (long)(key ^ SignBit);
        return BitConverter.Int64BitsToDouble(bits >= 0 ? bits : bits ^ long.MaxValue);
    }

    private const ulong SignBit = 0x8000_0000_0000_0000;

    /// <summary>Candidates few enough to sort rather than count again.</summary>
    private const long Budget = 48;
}
