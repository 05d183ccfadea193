using System.Collections.Concurrent;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Operations;

/// <summary>
/// Operation results in process memory, dropped after their retention (checked as results are saved) or, beyond
/// <see cref="MaxEntries"/>, oldest first. One process is the only replica, and <see cref="OperationRunner"/> runs an
/// id once within it, so every claim is granted.
/// </summary>
public sealed class InMemoryOperationLog(TimeProvider time) : IOperationLog
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (OperationCompleted Completed, DateTimeOffset Expires)> _results = new(StringComparer.Ordinal);

    public Task<OperationCompleted?> FindAsync(string operationId, CancellationToken cancellationToken) =>
        Task.FromResult(_results.TryGetValue(operationId, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Completed : null);

    public async Task<OperationClaim> ClaimAsync(string operationId, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        await FindAsync(operationId, cancellationToken) is { } completed ? new(false, completed, null) : new(true, null, null);

    public Task<bool> RenewAsync(string operationId, string owner, TimeSpan lease, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<OperationCompleted> SaveAsync(OperationCompleted completed, string owner, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var expired in _results.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
        {
            _results.TryRemove(expired, out _);
        }
        if (_results.Count >= MaxEntries)
        {
            foreach (var oldest in _results.OrderBy(e => e.Value.Expires).Take(_results.Count - MaxEntries + 1).Select(e => e.Key).ToList())
            {
                _results.TryRemove(oldest, out _);
            }
        }
        return Task.FromResult(_results.GetOrAdd(completed.OperationId, (completed, now + retention)).Completed);
    }
}
