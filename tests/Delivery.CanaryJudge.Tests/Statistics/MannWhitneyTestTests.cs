using System.Text.Json;
using Delivery.CanaryJudge.Statistics;

namespace Delivery.CanaryJudge.Tests.Statistics;

/// <summary>
/// The test against R 4.2's <c>wilcox.test(x, y, conf.int = TRUE)</c> on the cases of
/// Reference/wilcox.R (its output is Reference/wilcox-reference.json).
/// </summary>
public class MannWhitneyTestTests
{
    public sealed record ReferenceCase(string Name, bool Exact, double W, double P, double Lower, double Upper, double Estimate, double Hl, double[] X, double[] Y)
    {
        public override string ToString() => Name;
    }

    private static readonly Lazy<Dictionary<string, ReferenceCase>> Cases = new(() =>
        JsonSerializer.Deserialize<List<ReferenceCase>>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "wilcox-reference.json")),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!.ToDictionary(c => c.Name));

    public static TheoryData<string> CaseNames() => [.. Cases.Value.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_R_wilcox_test(string name)
    {
        var reference = Cases.Value[name];
        var result = MannWhitneyTest.Run(reference.X, reference.Y);

        Assert.Equal(reference.Exact, result.Exact);
        Assert.Equal(reference.W, result.U);
        Assert.Equal(reference.P, result.PValue, reference.P * 1e-9 + 1e-15);
        // The estimate is the median of all differences: R's exact branch reports exactly that, its
        // normal branch a root inside the flat step around it.
        Assert.Equal(reference.Hl, result.Estimate, 1e-12);
        if (reference.Exact)
        {
            Assert.Equal(reference.Lower, result.Lower, 1e-12);
            Assert.Equal(reference.Upper, result.Upper, 1e-12);
        }
        else
        {
            // R finds the ends with uniroot(tol = 1e-4) on a step function; we return the step itself.
            Assert.Equal(reference.Lower, result.Lower, 2e-4);
            Assert.Equal(reference.Upper, result.Upper, 2e-4);
        }
    }

    [Fact]
    public void Every_reference_kind_is_covered()
    {
        var cases = Cases.Value.Values;
        Assert.Contains(cases, c => c.Exact);
        Assert.Contains(cases, c => !c.Exact && c.X.Length >= 500);
        Assert.Contains(cases, c => c.X.Distinct().Count() < c.X.Length);
        Assert.Contains(cases, c => c.X.SequenceEqual(c.Y));
    }

    [Fact]
    public void Constant_samples_give_the_single_difference_as_interval_and_estimate()
    {
        var result = MannWhitneyTest.Run([5.0, 5.0, 5.0], [2.0, 2.0, 2.0, 2.0]);

        Assert.Equal(3.0, result.Lower);
        Assert.Equal(3.0, result.Upper);
        Assert.Equal(3.0, result.Estimate);
        Assert.Equal(12.0, result.U);
    }

    [Fact]
    public void Rejects_an_empty_sample_and_a_bad_confidence_level()
    {
        Assert.Throws<ArgumentException>(() => MannWhitneyTest.Run([], [1.0]));
        Assert.Throws<ArgumentException>(() => MannWhitneyTest.Run([1.0], [2.0], 1.0));
    }
}
