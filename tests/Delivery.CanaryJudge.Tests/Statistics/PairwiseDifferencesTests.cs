using Delivery.CanaryJudge.Statistics;

namespace Delivery.CanaryJudge.Tests.Statistics;

public class PairwiseDifferencesTests
{
    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(7, 5, 1000)]
    [InlineData(40, 60, 4)]
    [InlineData(120, 90, 1_000_000)]
    public void Every_order_statistic_matches_sorting_all_differences(int m, int n, int distinct)
    {
        var random = new Random(m * 1000 + n);
        double Next() => distinct > 0 ? random.Next(distinct) * 0.25 - 3 : random.NextDouble();
        var x = Enumerable.Range(0, m).Select(_ => Next()).Order().ToArray();
        var y = Enumerable.Range(0, n).Select(_ => Next()).Order().ToArray();
        var all = x.SelectMany(a => y.Select(b => a - b)).Order().ToArray();
        var diffs = new PairwiseDifferences(x, y);

        for (var k = 1; k <= all.Length; k += Math.Max(1, all.Length / 97))
        {
            Assert.Equal(all[k - 1], diffs.Select(k));
        }
        Assert.Equal(all[^1], diffs.Select(all.Length));
        var median = all.Length % 2 == 1 ? all[all.Length / 2] : (all[all.Length / 2 - 1] + all[all.Length / 2]) / 2;
        Assert.Equal(median, diffs.Median());
    }

    [Fact]
    public void Differences_spread_over_every_magnitude_and_heavy_ties_are_selected_exactly()
    {
        double[] x = [.. new[] { -1e120, -3.5, 0, 1e-300, 2e-300, 1, 1, 1, 7e80, 1e100 }.Concat(Enumerable.Repeat(2.0, 60))];
        double[] y = [.. new[] { -1e-250, 0, 1e-300, 1, 5e99 }.Concat(Enumerable.Repeat(1.0, 70))];
        Array.Sort(x);
        Array.Sort(y);
        var all = x.SelectMany(a => y.Select(b => a - b)).Order().ToArray();
        var diffs = new PairwiseDifferences(x, y);

        for (var k = 1; k <= all.Length; k++)
        {
            Assert.Equal(all[k - 1], diffs.Select(k));
        }
    }
}
