namespace Delivery.CanaryJudge.Metrics;

/// <summary>A metric source could not deliver the points; the message is meant for the stage's errors and the report.</summary>
public sealed class MetricSourceException(string message, Exception? inner = null) : Exception(message, inner);
