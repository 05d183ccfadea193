using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Reports;

/// <summary>Reports in process memory, at most <see cref="CanaryJudgeOptions.MaxReportsInMemory"/>, oldest dropped first.</summary>
public sealed class InMemoryCanaryReportStore(IOptions<CanaryJudgeOptions> options) : ICanaryReportStore
{
    private readonly ConcurrentDictionary<string, string> _reports = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public Task SaveAsync(string id, string json)
    {
        if (_reports.TryAdd(id, json))
        {
            _order.Enqueue(id);
        }
        while (_reports.Count > options.Value.MaxReportsInMemory && _order.TryDequeue(out var oldest))
        {
            _reports.TryRemove(oldest, out _);
        }
        return Task.CompletedTask;
    }

    public Task<string?> GetAsync(string id) => Task.FromResult(_reports.TryGetValue(id, out var json) ? json : null);
}
