using System.Text;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Reports;

/// <summary>
/// Reports in process memory as UTF-8 JSON: at most <see cref="CanaryJudgeOptions.MaxReportsInMemory"/> of them and
/// <see cref="CanaryJudgeOptions.MaxReportBytesInMemory"/> bytes in all, the oldest dropped first; the newest is kept
/// even when it alone is above the bytes bound. A report saved again under a known id keeps its first version.
/// </summary>
public sealed class InMemoryCanaryReportStore(IOptions<CanaryJudgeOptions> options) : ICanaryReportStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, byte[]> _reports = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _bytes;

    public Task SaveAsync(string id, string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var bounds = options.Value;
        lock (_lock)
        {
            if (_reports.TryAdd(id, utf8))
            {
                _order.Enqueue(id);
                _bytes += utf8.Length;
            }
            while (_order.Count > 1 && (_order.Count > bounds.MaxReportsInMemory || _bytes > bounds.MaxReportBytesInMemory))
            {
                _reports.Remove(_order.Dequeue(), out var oldest);
                _bytes -= oldest!.Length;
            }
        }
        return Task.CompletedTask;
    }

    public Task<string?> GetAsync(string id)
    {
        byte[]? utf8;
        lock (_lock)
        {
            _reports.TryGetValue(id, out utf8);
        }
        return Task.FromResult(utf8 is null ? null : Encoding.UTF8.GetString(utf8));
    }
}
