using System.ComponentModel.DataAnnotations;

namespace Delivery.CanaryJudge;

/// <summary>The judge's settings and input bounds, bound from <c>Delivery:CanaryJudge</c>.</summary>
public sealed class CanaryJudgeOptions
{
    public const string Section = "Delivery:CanaryJudge";

    /// <summary>
    /// Confidence level of the Mann-Whitney interval of the shift. R's default; Kayenta's
    /// NetflixACAJudge uses 0.98, which classifies fewer metrics High or Low.
    /// </summary>
    [Range(0.5, 0.9999)] public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>Points a metric set may have on each side (control, experiment).</summary>
    [Range(1, 1_000_000)] public int MaxPointsPerSide { get; set; } = 10_000;

    /// <summary>Metrics a canary config may have, and metric sets a judge request may carry.</summary>
    [Range(1, 10_000)] public int MaxMetrics { get; set; } = 200;

    /// <summary>Largest judge request body, in bytes (larger: 413).</summary>
    [Range(1_024, 1_073_741_824)] public int MaxJudgeBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Largest canary config body, in bytes (larger: 413).</summary>
    [Range(1_024, 64 * 1024 * 1024)] public int MaxConfigBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Canary configs kept; creating one more is refused (409).</summary>
    [Range(1, 1_000_000)] public int MaxConfigs { get; set; } = 10_000;

    /// <summary>Judgement reports the in-memory store keeps (oldest dropped first).</summary>
    [Range(1, 1_000_000)] public int MaxReportsInMemory { get; set; } = 1_000;

    /// <summary>
    /// Largest stored judgement report, in bytes of UTF-8 JSON: a report that would be larger is stored without its
    /// control and experiment points (<see cref="Reports.CanaryReport.PointsOmitted"/> says so); its results are always kept.
    /// </summary>
    [Range(1_024, 1_073_741_824)] public int MaxReportBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Bytes of report JSON the in-memory store keeps in all (oldest dropped first, the newest always kept).</summary>
    [Range(typeof(long), "1024", "1099511627776")] public long MaxReportBytesInMemory { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long Redis keeps a judgement report.</summary>
    [Range(1, 24 * 365)] public int ReportRetentionHours { get; set; } = 24 * 14;
}
