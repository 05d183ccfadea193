namespace Delivery.CanaryJudge.Judge;

/// <summary>A validated canary config as the judge reads it (Kayenta's <c>CanaryConfig</c>); the stored JSON keeps every other field.</summary>
/// <param name="Name">The config's name, if it has one.</param>
/// <param name="Metrics">At least one metric, names unique.</param>
/// <param name="GroupWeights">Weight of each group, summing to 100 (<c>classifier.groupWeights</c>).</param>
public sealed record CanaryConfig(string? Name, IReadOnlyList<CanaryMetric> Metrics, IReadOnlyDictionary<string, double> GroupWeights);
