using StackExchange.Redis;

namespace Delivery.Orchestrator.Persistence;

/// <summary>
/// Pending executions in Redis: a sorted set per pipeline config scored by the time each was queued
/// (<see cref="IPendingExecutionStore.EnqueueAsync"/>), and a key naming the slot's holder.
/// </summary>
public sealed class RedisPendingExecutionStore(IConnectionMultiplexer redis, RedisKeys keys) : IPendingExecutionStore
{
    private IDatabase Db => redis.GetDatabase();

    public Task EnqueueAsync(string pipelineConfigId, string executionId, long queuedAt) =>
        Db.SortedSetAddAsync(keys.PendingExecutions(pipelineConfigId), executionId, queuedAt, SortedSetWhen.NotExists);

    public async Task<string?> PopOldestAsync(string pipelineConfigId) =>
        await Db.SortedSetPopAsync(keys.PendingExecutions(pipelineConfigId), Order.Ascending) is { } e ? (string?)e.Element : null;

    public async Task<string?> PopNewestAsync(string pipelineConfigId) =>
        await Db.SortedSetPopAsync(keys.PendingExecutions(pipelineConfigId), Order.Descending) is { } e ? (string?)e.Element : null;

    public async Task<IReadOnlyList<string>> PurgeAsync(string pipelineConfigId)
    {
        var key = keys.PendingExecutions(pipelineConfigId);
        var transaction = Db.CreateTransaction();
        var all = transaction.SortedSetRangeByRankAsync(key);
        _ = transaction.KeyDeleteAsync(key);
        await transaction.ExecuteAsync();
        return [.. (await all).Select(id => (string)id!)];
    }

    public Task<long> CountAsync(string pipelineConfigId) => Db.SortedSetLengthAsync(keys.PendingExecutions(pipelineConfigId));

    public async Task<IReadOnlyList<string>> ListAsync(string pipelineConfigId) =>
        [.. (await Db.SortedSetRangeByRankAsync(keys.PendingExecutions(pipelineConfigId))).Select(id => (string)id!)];

    public async Task<string?> HolderAsync(string pipelineConfigId) => await Db.StringGetAsync(keys.ConcurrencyHolder(pipelineConfigId));

    public Task SetHolderAsync(string pipelineConfigId, string executionId) => Db.StringSetAsync(keys.ConcurrencyHolder(pipelineConfigId), executionId);
}
