namespace Delivery.CanaryJudge.Reports;

/// <summary>
/// Why a stored report has no points (<see cref="CanaryReport.MetricSets"/> empty): with them its JSON would have
/// exceeded <see cref="CanaryJudgeOptions.MaxReportBytes"/>. Every metric's result and the statistics computed from
/// the points stay in <see cref="CanaryReport.Result"/>. Kayenta keeps the points apart from the result for the same
/// reason (its <c>CanaryExecutionStatusResponse</c> names a separate <c>metricSetPairListId</c> object).
/// </summary>
/// <param name="Reason">The omission in words, for the report page.</param>
/// <param name="ReportBytes">Size of the report's UTF-8 JSON with the points, in bytes.</param>
/// <param name="MaxReportBytes">The bound it exceeded, in bytes.</param>
public sealed record OmittedPoints(string Reason, long ReportBytes, long MaxReportBytes);
