namespace Delivery.Contracts.CanaryJudge;

/// <summary>Event: canary-judge measured the queries of a <see cref="MeasureMetrics"/>, one result per query in its order.</summary>
/// <param name="MeasurementId">The command's id.</param>
/// <param name="ExecutionId">The command's <c>ExecutionId</c>.</param>
/// <param name="StageId">The command's <c>StageId</c>.</param>
/// <param name="TaskId">The command's <c>TaskId</c>.</param>
/// <param name="Results">One measurement per query.</param>
public sealed record MetricsMeasured(
    string MeasurementId,
    string? ExecutionId,
    string? StageId,
    string? TaskId,
    IReadOnlyList<MetricMeasurement> Results);
