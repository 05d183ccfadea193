namespace Delivery.CanaryJudge.Judge;

/// <summary>One entry of a canary config's <c>metrics</c>: what the judge needs of it.</summary>
/// <param name="Name">Unique within the config; metric sets are matched by it.</param>
/// <param name="SourceType">The metric source (<c>query.type</c>), e.g. <c>prometheus</c>.</param>
/// <param name="Groups">The groups whose scores the metric counts in.</param>
/// <param name="Analysis">How the metric is judged.</param>
public sealed record CanaryMetric(string Name, string SourceType, IReadOnlyList<string> Groups, MetricAnalysis Analysis);
