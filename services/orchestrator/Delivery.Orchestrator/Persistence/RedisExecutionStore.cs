using System.Text;
using Delivery.Contracts;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks.Pipelines;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Orchestrator.Persistence;

/// <summary>
/// Executions in Redis: a hash per execution (<c>v</c> version, <c>doc</c> JSON, <c>status</c>, <c>end</c> time, <c>requests</c>
/// the applied gate requests, kept out of the document the API returns) and
/// beside it a sorted set of the message ids whose changes were saved, scored by when (kept for
/// <see cref="OrchestratorOptions.AppliedMessagesWindowMs"/>, at most <see cref="OrchestratorOptions.AppliedMessagesMax"/>),
/// saved by a Lua compare-and-set on the version that also writes the outbox, and sorted-set
/// indexes by application and pipeline config scored by build time. Every outbox is also named in one sorted set
/// (<see cref="RedisKeys.Outboxes"/>, scored by when it was saved) for the sweeper; that entry is written just
/// before the outbox (in the same pipeline), so an outbox is never stored without it, and an entry whose save lost
/// its version check names nothing and is dropped by the sweeper.
/// </summary>
public sealed class RedisExecutionStore(
    IConnectionMultiplexer redis, RedisKeys keys, TimeProvider? time = null, IOptions<OrchestratorOptions>? options = null) : IExecutionStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly OrchestratorOptions _options = options?.Value ?? new OrchestratorOptions();

    private const int OutboxSeconds = 86_400;

    private const string SaveScript = """
        if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'v', ARGV[2], 'doc', ARGV[3], 'status', ARGV[4], 'end', ARGV[7], 'requests', ARGV[12])
        if ARGV[5] ~= '' then redis.call('SET', KEYS[2], ARGV[5], 'EX', ARGV[6]) end
        redis.call('ZADD', KEYS[3], ARGV[9], ARGV[8])
        redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (ARGV[9] - ARGV[10]))
        redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -1 - ARGV[11])
        redis.call('PEXPIRE', KEYS[3], ARGV[10])
        return 1
        """;

    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          return {0, redis.call('HGET', KEYS[1], 'app') or '', redis.call('HGET', KEYS[1], 'config') or ''}
        end
        redis.call('HSET', KEYS[1], 'v', 1, 'doc', ARGV[1], 'status', ARGV[2], 'app', ARGV[3], 'config', ARGV[4], 'parent', ARGV[7], 'requests', ARGV[8])
        if ARGV[5] ~= '' then redis.call('SET', KEYS[2], ARGV[5], 'EX', ARGV[6]) end
        return {1}
        """;

    private const string TakeScript = """
        local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
        for i = 1, #stale do redis.call('ZADD', KEYS[1], ARGV[3], stale[i]) end
        return stale
        """;

    // Deletes a document only if nobody saved it since the trim read it, so a restart that reopened it keeps it.
    private const string DeleteScript = """
        if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1], KEYS[2])
        return 1
        """;

    private static readonly RedisValue[] DocFields = ["v", "doc", "requests"];
    private static readonly RedisValue[] TrimFields = ["status", "end", "v", "parent"];

    private IDatabase Db => redis.GetDatabase();

    public async Task<PipelineExecution?> GetAsync(string id) => Read(await Db.HashGetAsync(keys.Execution(id), DocFields));

    public async Task<string?> GetJsonAsync(string id) => await Db.HashGetAsync(keys.Execution(id), "doc");

    public async Task<(PipelineExecution? Execution, string? PendingOutbox)> LoadForUpdateAsync(string id, string messageId)
    {
        var db = Db;
        var outbox = db.StringGetAsync(keys.Outbox(id, messageId));
        var doc = db.HashGetAsync(keys.Execution(id), DocFields);
        var appliedAt = db.SortedSetScoreAsync(keys.AppliedMessages(id), messageId);
        var execution = Read(await doc);
        if (execution is not null)
        {
            execution.LoadedMessageApplied = await appliedAt >= NowMs() - _options.AppliedMessagesWindowMs;
        }
        return (execution, await outbox);
    }

    public async Task<bool> TrySaveAsync(PipelineExecution execution, string messageId, string? outbox)
    {
        var document = ExecutionSerializer.SerializeForSave(execution, _options.MaxExecutionBytes);
        var db = Db;
        var indexed = outbox is null ? Task.CompletedTask : IndexOutbox(db, execution.Id, messageId);
        var saved = (int)await db.ScriptEvaluateAsync(SaveScript,
            [keys.Execution(execution.Id), keys.Outbox(execution.Id, messageId), keys.AppliedMessages(execution.Id)],
            [execution.Version, execution.Version + 1, document, execution.Status.ToWire(), outbox ?? "", OutboxSeconds, execution.EndTime ?? 0,
             messageId, NowMs(), _options.AppliedMessagesWindowMs, _options.AppliedMessagesMax, ExecutionSerializer.SerializeRequests(execution)]);
        await indexed;
        if (saved != 1)
        {
            return false;
        }
        execution.Version++;
        // Beside the save, not in it (another slot): an entry left stale by a crash here only makes the sweep read the document.
        await (execution.Status == ExecutionStatus.Running
            ? db.SortedSetAddAsync(keys.RunningExecutions, execution.Id, NowMs())
            : db.SortedSetRemoveAsync(keys.RunningExecutions, execution.Id));
        return true;
    }

    public Task ClearOutboxAsync(string executionId, string messageId)
    {
        var db = Db;
        return Task.WhenAll(db.KeyDeleteAsync(keys.Outbox(executionId, messageId)), db.SortedSetRemoveAsync(keys.Outboxes, OutboxMember(executionId, messageId)));
    }

    public async Task<IReadOnlyList<PendingOutbox>> TakeStaleOutboxesAsync(long savedBeforeMs, int max)
    {
        var taken = (RedisValue[]?)await Db.ScriptEvaluateAsync(TakeScript, [keys.Outboxes], [savedBeforeMs, max, NowMs()]) ?? [];
        return [.. taken.Select(m => ((string)m!).Split(' ', 2)).Where(p => p.Length == 2).Select(p => new PendingOutbox(p[0], p[1]))];
    }

    public async Task<IReadOnlyList<string>> TakeIdleExecutionsAsync(long savedBeforeMs, int max)
    {
        var taken = (RedisValue[]?)await Db.ScriptEvaluateAsync(TakeScript, [keys.RunningExecutions], [savedBeforeMs, max, NowMs()]) ?? [];
        return [.. taken.Select(id => (string)id!)];
    }

    public async Task<string?> GetOutboxAsync(string executionId, string messageId) => await Db.StringGetAsync(keys.Outbox(executionId, messageId));

    private Task IndexOutbox(IDatabase db, string executionId, string messageId) =>
        db.SortedSetAddAsync(keys.Outboxes, OutboxMember(executionId, messageId), NowMs());

    // Execution ids are ULIDs and message ids GUIDs or fixed words: neither holds a space.
    private static string OutboxMember(string executionId, string messageId) => $"{executionId} {messageId}";

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Creates the document if it does not exist (one key: Cluster-safe), then indexes it. The index writes also run
    /// when the document existed already, with the application and config stored in it, so a creation interrupted
    /// before indexing is indexed when retried, and a different execution under the same id indexes nothing new.
    /// </summary>
    public async Task<bool> CreateAsync(PipelineExecution execution, string? outbox = null)
    {
        execution.Version = 1;
        var document = ExecutionSerializer.SerializeForSave(execution, _options.MaxExecutionBytes);
        var db = Db;
        var indexed = outbox is null ? Task.CompletedTask : IndexOutbox(db, execution.Id, PendingOutbox.Creation);
        var answer = (RedisValue[])(await db.ScriptEvaluateAsync(CreateScript, [keys.Execution(execution.Id), keys.Outbox(execution.Id, PendingOutbox.Creation)],
            [document, execution.Status.ToWire(), execution.Application, execution.PipelineConfigId ?? "", outbox ?? "", OutboxSeconds,
             ChildPipelines.Parent(execution.Trigger)?.ExecutionId ?? "", ExecutionSerializer.SerializeRequests(execution)]))!;
        await indexed;
        var created = (int)answer[0] == 1;
        var (application, configId) = created ? (execution.Application, execution.PipelineConfigId ?? "") : ((string?)answer[1], (string?)answer[2]);
        var indexes = new List<Task>();
        if (!string.IsNullOrEmpty(application))
        {
            indexes.Add(db.SortedSetAddAsync(keys.ApplicationExecutions(application), execution.Id, execution.BuildTime, SortedSetWhen.NotExists));
        }
        if (!string.IsNullOrEmpty(configId))
        {
            indexes.Add(db.SortedSetAddAsync(keys.PipelineExecutions(configId), execution.Id, execution.BuildTime, SortedSetWhen.NotExists));
        }
        await Task.WhenAll(indexes);
        return created;
    }

    public Task<IReadOnlyList<PipelineExecution>> ListByApplicationAsync(string application, int limit, IReadOnlySet<ExecutionStatus>? statuses) =>
        ListAsync(keys.ApplicationExecutions(application), limit, statuses);

    public Task<IReadOnlyList<PipelineExecution>> ListByPipelineConfigAsync(string pipelineConfigId, int limit, IReadOnlySet<ExecutionStatus>? statuses = null) =>
        ListAsync(keys.PipelineExecutions(pipelineConfigId), limit, statuses);

    /// <summary>Newest first; with a status filter, pages through the index reading only the status field until enough match.</summary>
    private async Task<IReadOnlyList<PipelineExecution>> ListAsync(RedisKey index, int limit, IReadOnlySet<ExecutionStatus>? statuses)
    {
        var db = Db;
        if (statuses is null)
        {
            return await ReadMany(await db.SortedSetRangeByRankAsync(index, 0, limit - 1, Order.Descending));
        }
        const int page = 500;
        var matching = new List<RedisValue>();
        for (long start = 0; matching.Count < limit && start < IExecutionStore.MaxScanned; start += page)
        {
            var ids = await db.SortedSetRangeByRankAsync(index, start, start + page - 1, Order.Descending);
            var stored = ids.Select(id => db.HashGetAsync(keys.Execution((string)id!), "status")).ToList();
            for (var i = 0; i < ids.Length && matching.Count < limit; i++)
            {
                if ((string?)await stored[i] is { } wire && ExecutionStatusExtensions.TryParseWire(wire, out var status) && statuses.Contains(status))
                {
                    matching.Add(ids[i]);
                }
            }
            if (ids.Length < page)
            {
                break;
            }
        }
        // A status can change between the two reads: the documents are filtered again.
        return [.. (await ReadMany([.. matching])).Where(e => statuses.Contains(e.Status))];
    }

    public async Task TrimAsync(string application, string pipelineConfigId, int keep, long completedBeforeMs)
    {
        var db = Db;
        var index = keys.PipelineExecutions(pipelineConfigId);
        var count = await db.SortedSetLengthAsync(index);
        if (count <= keep)
        {
            return;
        }
        var oldest = await db.SortedSetRangeByRankAsync(index, 0, count - keep - 1, Order.Ascending);
        foreach (var id in oldest)
        {
            var fields = await db.HashGetAsync(keys.Execution(id!), TrimFields);
            var status = (string?)fields[0];
            if (status is not null && (!IsComplete(status) || (long)fields[1] >= completedBeforeMs || await IsHeldByParentAsync(db, fields[3])))
            {
                continue;
            }
            // The document first: an index entry left by an interrupted trim points at nothing and is skipped by
            // readers, while the reverse would leave a document nobody can find. (Separate keys: no cross-slot transaction.)
            if ((int)await db.ScriptEvaluateAsync(DeleteScript, [keys.Execution(id!), keys.AppliedMessages(id!)], [fields[2]]) != 1 && status is not null)
            {
                continue;
            }
            await Task.WhenAll(db.SortedSetRemoveAsync(index, id), db.SortedSetRemoveAsync(keys.ApplicationExecutions(application), id));
        }
    }

    private static bool IsComplete(string? status) => status is not null && ExecutionStatusExtensions.TryParseWire(status, out var s) && s.IsComplete();

    /// <summary>Whether a parent execution that has not ended may still read this child (its pipeline stage, paused or restarted).</summary>
    private async Task<bool> IsHeldByParentAsync(IDatabase db, RedisValue parentId) =>
        !parentId.IsNullOrEmpty && await db.HashGetAsync(keys.Execution((string)parentId!), "status") is { IsNull: false } parentStatus && !IsComplete(parentStatus);

    private async Task<List<PipelineExecution>> ReadMany(RedisValue[] ids)
    {
        var db = Db;
        var reads = ids.Select(id => db.HashGetAsync(keys.Execution((string)id!), DocFields)).ToList();
        var result = new List<PipelineExecution>(reads.Count);
        foreach (var read in reads)
        {
            if (Read(await read) is { } e)
            {
                result.Add(e);
            }
        }
        return result;
    }

    private static PipelineExecution? Read(RedisValue[] fields) =>
        fields[0].IsNull || fields[1].IsNull ? null : ExecutionSerializer.Deserialize((byte[])fields[1]!, (long)fields[0], fields[2]);
}
