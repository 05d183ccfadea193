namespace Delivery.CanaryJudge.Reports;

/// <summary>Judgement reports by id, stored as JSON text; kept for a bounded time or number.</summary>
public interface ICanaryReportStore
{
    Task SaveAsync(string id, string json);

    /// <summary>The report's JSON, or null when unknown or expired.</summary>
    Task<string?> GetAsync(string id);
}
