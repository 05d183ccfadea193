namespace Delivery.CanaryJudge.Reports;

/// <summary>Judgement reports by id, stored as JSON text (each at most about <see cref="CanaryJudgeOptions.MaxReportBytes"/>, see <see cref="CanaryReportJson"/>); kept for a bounded time, or number and bytes.</summary>
public interface ICanaryReportStore
{
    Task SaveAsync(string id, string json);

    /// <summary>The report's JSON, or null when unknown or expired.</summary>
    Task<string?> GetAsync(string id);
}
