namespace Delivery.CanaryJudge.Judge;

/// <summary>The points of one metric for the control (baseline) and the experiment (canary); NaN marks a missing point.</summary>
public sealed record MetricSet(string Name, double[] Control, double[] Experiment);
