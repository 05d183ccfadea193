namespace Delivery.CanaryJudge.Judge;

/// <summary>Confidence interval of the shift experiment - control, in the metric's unit.</summary>
public sealed record ConfidenceInterval(double Lower, double Upper);
