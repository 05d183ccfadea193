using System.Collections.Concurrent;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Operations;

/// <summary>Operation results in process memory, dropped after their retention (checked as results are saved).</summary>
public sealed class InMemoryOperationLog(TimeProvider time) : IOperationLog
{
    private readonly ConcurrentDictionary<string, (OperationCompleted Completed, DateTimeOffset Expires)> _results = new(StringComparer.Ordinal);

    public Task<OperationCompleted?> FindAsync(string operationId, CancellationToken cancellationToken) =>
        Task.FromResult(_results.TryGetValue(operationId, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Completed : null);

    public Task SaveAsync(OperationCompleted completed, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var expired in _results.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
        {
            _results.TryRemove(expired, out _);
        }
        _results[completed.OperationId] = (completed, now + retention);
        return Task.CompletedTask;
    }
}
