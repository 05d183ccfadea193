namespace Delivery.Contracts.CanaryJudge;

/// <summary>
/// Command to canary-judge: read the current value of each query from its metric source (a threshold analysis'
/// measurement, as Argo Rollouts' and Flagger's analyses take). Answered by <see cref="MetricsMeasured"/>.
/// </summary>
/// <param name="MeasurementId">Unique per measurement; echoed back.</param>
/// <param name="Queries">1..20 queries.</param>
/// <param name="At">The moment measured.</param>
/// <param name="ExecutionId">Correlation: the execution waiting for the answer, echoed back.</param>
/// <param name="StageId">Correlation: the stage waiting for the answer, echoed back.</param>
/// <param name="TaskId">Correlation: the task waiting for the answer, echoed back.</param>
public sealed record MeasureMetrics(
    string MeasurementId,
    IReadOnlyList<MetricMeasurementQuery> Queries,
    DateTimeOffset At,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null);
