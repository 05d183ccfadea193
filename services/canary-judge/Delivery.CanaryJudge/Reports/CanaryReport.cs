using Delivery.CanaryJudge.Judge;

namespace Delivery.CanaryJudge.Reports;

/// <summary>
/// A stored judgement, as <c>GET /v2/canaries/{id}</c> returns it: the result, what it was judged
/// against and the points behind every metric (null for a missing point), for the UI's report.
/// </summary>
/// <param name="Id">The report's id.</param>
/// <param name="JudgedAt">When the judgement was made (UTC).</param>
/// <param name="CanaryConfigId">The stored config judged against, when the request named one.</param>
/// <param name="CanaryConfigName">The config's name, if it has one.</param>
/// <param name="ScoreThresholds">The thresholds the score was classified against.</param>
/// <param name="Result">The judgement.</param>
/// <param name="MetricSets">The points each metric was judged on, as received; empty when <see cref="PointsOmitted"/> says why.</param>
public sealed record CanaryReport(
    string Id,
    DateTimeOffset JudgedAt,
    string? CanaryConfigId,
    string? CanaryConfigName,
    ScoreThresholds ScoreThresholds,
    CanaryJudgement Result,
    IReadOnlyList<ReportedMetricSet> MetricSets)
{
    /// <summary>The scopes judged, for a canary interval (<see cref="Contracts.CanaryJudge.JudgeCanaryInterval"/>); null for a direct judge request.</summary>
    public IReadOnlyList<Contracts.CanaryJudge.CanaryScope>? Scopes { get; init; }

    /// <summary>The first point's time, for a canary interval.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>The last point's time, for a canary interval.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>What the judgement could not use, e.g. a metric source that was down for a metric without <c>mustHaveData</c>.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>Set when the points were left out of the stored report to keep it under <see cref="CanaryJudgeOptions.MaxReportBytes"/>; null otherwise.</summary>
    public OmittedPoints? PointsOmitted { get; init; }
}
