namespace Delivery.Orchestrator.Persistence;

/// <summary>Standalone pending executions: a sorted set per pipeline config, behind one lock.</summary>
public sealed class InMemoryPendingExecutionStore : IPendingExecutionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedSet<(long QueuedAt, string Id)>> _queues = [];
    private readonly Dictionary<string, string> _holders = [];

    public Task EnqueueAsync(string pipelineConfigId, string executionId, long queuedAt)
    {
        lock (_lock)
        {
            var queue = Queue(pipelineConfigId);
            if (!queue.Any(e => e.Id == executionId))
            {
                queue.Add((queuedAt, executionId));
            }
        }
        return Task.CompletedTask;
    }

    public Task<string?> PopOldestAsync(string pipelineConfigId) => Task.FromResult(Pop(pipelineConfigId, newest: false));

    public Task<string?> PopNewestAsync(string pipelineConfigId) => Task.FromResult(Pop(pipelineConfigId, newest: true));

    public Task<IReadOnlyList<string>> PurgeAsync(string pipelineConfigId)
    {
        lock (_lock)
        {
            var queue = Queue(pipelineConfigId);
            IReadOnlyList<string> all = [.. queue.Select(e => e.Id)];
            queue.Clear();
            return Task.FromResult(all);
        }
    }

    public Task<long> CountAsync(string pipelineConfigId)
    {
        lock (_lock)
        {
            return Task.FromResult((long)Queue(pipelineConfigId).Count);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string pipelineConfigId)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. Queue(pipelineConfigId).Select(e => e.Id)]);
        }
    }

    public Task<string?> HolderAsync(string pipelineConfigId)
    {
        lock (_lock)
        {
            return Task.FromResult(_holders.GetValueOrDefault(pipelineConfigId));
        }
    }

    public Task SetHolderAsync(string pipelineConfigId, string executionId)
    {
        lock (_lock)
        {
            _holders[pipelineConfigId] = executionId;
        }
        return Task.CompletedTask;
    }

    private string? Pop(string pipelineConfigId, bool newest)
    {
        lock (_lock)
        {
            var queue = Queue(pipelineConfigId);
            if (queue.Count == 0)
            {
                return null;
            }
            var taken = newest ? queue.Max : queue.Min;
            queue.Remove(taken);
            return taken.Id;
        }
    }

    private SortedSet<(long, string Id)> Queue(string pipelineConfigId) =>
        _queues.TryGetValue(pipelineConfigId, out var queue) ? queue : _queues[pipelineConfigId] = [];
}
