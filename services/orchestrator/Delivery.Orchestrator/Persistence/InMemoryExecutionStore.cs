using System.Collections.Concurrent;
using Delivery.Contracts;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks.Pipelines;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Persistence;

/// <summary>
/// Standalone store. Documents (and the applied requests beside them) are kept serialized, exactly as in Redis, so that
/// a handler never shares a live object with another one and the two stores behave the same.
/// </summary>
public sealed class InMemoryExecutionStore(TimeProvider? time = null, IOptions<OrchestratorOptions>? options = null) : IExecutionStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly OrchestratorOptions _options = options?.Value ?? new OrchestratorOptions();

    private sealed record Entry(long Version, byte[] Json, string Requests, ExecutionStatus Status, long? EndTime, string? ParentId, AppliedMessageLog Applied)
    {
        public static Entry Of(PipelineExecution e, long version, long maxBytes, AppliedMessageLog applied) =>
            new(version, ExecutionSerializer.SerializeForSave(e, maxBytes), ExecutionSerializer.SerializeRequests(e), e.Status, e.EndTime,
                ChildPipelines.Parent(e.Trigger)?.ExecutionId, applied);

        public bool CompletedBefore(long ms) => Status.IsComplete() && (EndTime ?? 0) < ms;

        public PipelineExecution Read() => ExecutionSerializer.Deserialize(Json, Version, Requests);
    }

    private readonly ConcurrentDictionary<string, Entry> _executions = new();
    /// <summary>Outboxes by (execution, message), with the time they were saved or last taken by a sweeper.</summary>
    private readonly ConcurrentDictionary<(string ExecutionId, string MessageId), (string Json, long SinceMs)> _outboxes = new();
    /// <summary>RUNNING executions with the time they were last saved or taken by the zombie sweep.</summary>
    private readonly ConcurrentDictionary<string, long> _running = new();
    private readonly ConcurrentDictionary<string, SortedSet<(long BuildTime, string Id)>> _byApplication = new();
    private readonly ConcurrentDictionary<string, SortedSet<(long BuildTime, string Id)>> _byPipeline = new();

    public Task<PipelineExecution?> GetAsync(string id) => Task.FromResult(Read(id));

    public Task<string?> GetJsonAsync(string id) =>
        Task.FromResult(_executions.TryGetValue(id, out var e) ? System.Text.Encoding.UTF8.GetString(e.Json) : null);

    public Task<(PipelineExecution? Execution, string? PendingOutbox)> LoadForUpdateAsync(string id, string messageId)
    {
        var outbox = _outboxes.TryGetValue((id, messageId), out var o) ? o.Json : null;
        if (!_executions.TryGetValue(id, out var entry))
        {
            return Task.FromResult<(PipelineExecution?, string?)>((null, outbox));
        }
        var execution = entry.Read();
        execution.LoadedMessageApplied = entry.Applied.Contains(messageId, NowMs(), _options.AppliedMessagesWindowMs);
        return Task.FromResult<(PipelineExecution?, string?)>((execution, outbox));
    }

    public Task<bool> TrySaveAsync(PipelineExecution execution, string messageId, string? outbox)
    {
        if (!_executions.TryGetValue(execution.Id, out var current) || current.Version != execution.Version)
        {
            return Task.FromResult(false);
        }
        var applied = current.Applied.With(messageId, NowMs(), _options.AppliedMessagesWindowMs, _options.AppliedMessagesMax);
        var next = Entry.Of(execution, current.Version + 1, _options.MaxExecutionBytes, applied);
        if (!_executions.TryUpdate(execution.Id, next, current))
        {
            return Task.FromResult(false);
        }
        execution.Version = next.Version;
        if (execution.Status == ExecutionStatus.Running)
        {
            _running[execution.Id] = NowMs();
        }
        else
        {
            _running.TryRemove(execution.Id, out _);
        }
        if (outbox is not null)
        {
            _outboxes[(execution.Id, messageId)] = (outbox, NowMs());
        }
        return Task.FromResult(true);
    }

    public Task ClearOutboxAsync(string executionId, string messageId)
    {
        _outboxes.TryRemove((executionId, messageId), out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PendingOutbox>> TakeStaleOutboxesAsync(long savedBeforeMs, int max)
    {
        var now = NowMs();
        var taken = new List<PendingOutbox>();
        foreach (var (key, value) in _outboxes)
        {
            if (taken.Count < max && value.SinceMs < savedBeforeMs && _outboxes.TryUpdate(key, (value.Json, now), value))
            {
                taken.Add(new PendingOutbox(key.ExecutionId, key.MessageId));
            }
        }
        return Task.FromResult<IReadOnlyList<PendingOutbox>>(taken);
    }

    public Task<IReadOnlyList<string>> TakeIdleExecutionsAsync(long savedBeforeMs, int max)
    {
        var now = NowMs();
        var taken = new List<string>();
        foreach (var (id, since) in _running)
        {
            if (taken.Count < max && since < savedBeforeMs && _running.TryUpdate(id, now, since))
            {
                taken.Add(id);
            }
        }
        return Task.FromResult<IReadOnlyList<string>>(taken);
    }

    public Task<string?> GetOutboxAsync(string executionId, string messageId) =>
        Task.FromResult(_outboxes.TryGetValue((executionId, messageId), out var o) ? o.Json : null);

    public Task<bool> CreateAsync(PipelineExecution execution, string? outbox = null)
    {
        execution.Version = 1;
        if (!_executions.TryAdd(execution.Id, Entry.Of(execution, 1, _options.MaxExecutionBytes, AppliedMessageLog.Empty)))
        {
            return Task.FromResult(false);
        }
        if (outbox is not null)
        {
            _outboxes[(execution.Id, PendingOutbox.Creation)] = (outbox, NowMs());
        }
        Index(_byApplication, execution.Application, execution);
        if (execution.PipelineConfigId is { } configId)
        {
            Index(_byPipeline, configId, execution);
        }
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<PipelineExecution>> ListByApplicationAsync(string application, int limit, IReadOnlySet<ExecutionStatus>? statuses) =>
        Task.FromResult(List(_byApplication, application, limit, statuses));

    public Task<IReadOnlyList<PipelineExecution>> ListByPipelineConfigAsync(string pipelineConfigId, int limit, IReadOnlySet<ExecutionStatus>? statuses = null) =>
        Task.FromResult(List(_byPipeline, pipelineConfigId, limit, statuses));

    public Task TrimAsync(string application, string pipelineConfigId, int keep, long completedBeforeMs)
    {
        if (!_byPipeline.TryGetValue(pipelineConfigId, out var index))
        {
            return Task.CompletedTask;
        }
        List<(long BuildTime, string Id)> oldest;
        lock (index)
        {
            oldest = [.. index.Reverse().Skip(keep)];
        }
        foreach (var key in oldest)
        {
            if (_executions.TryGetValue(key.Id, out var entry))
            {
                // Removing exactly the entry read: one a restart saved meanwhile is a new entry, and stays.
                if (!entry.CompletedBefore(completedBeforeMs) || IsHeldByParent(entry) || !_executions.TryRemove(KeyValuePair.Create(key.Id, entry)))
                {
                    continue;
                }
            }
            Unindex(_byPipeline, pipelineConfigId, key);
            Unindex(_byApplication, application, key);
        }
        return Task.CompletedTask;
    }

    /// <summary>Whether a parent execution that has not ended may still read this child (its pipeline stage, paused or restarted).</summary>
    private bool IsHeldByParent(Entry child) =>
        child.ParentId is { } parentId && _executions.TryGetValue(parentId, out var parent) && !parent.Status.IsComplete();

    private static void Unindex(ConcurrentDictionary<string, SortedSet<(long, string)>> indexes, string key, (long, string) entry)
    {
        if (indexes.TryGetValue(key, out var index))
        {
            lock (index)
            {
                index.Remove(entry);
            }
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private PipelineExecution? Read(string id) =>
        _executions.TryGetValue(id, out var e) ? e.Read() : null;

    private static void Index(ConcurrentDictionary<string, SortedSet<(long, string)>> indexes, string key, PipelineExecution execution)
    {
        var index = indexes.GetOrAdd(key, _ => []);
        lock (index)
        {
            index.Add((execution.BuildTime, execution.Id));
        }
    }

    private IReadOnlyList<PipelineExecution> List(
        ConcurrentDictionary<string, SortedSet<(long, string)>> indexes, string key, int limit, IReadOnlySet<ExecutionStatus>? statuses)
    {
        if (!indexes.TryGetValue(key, out var index))
        {
            return [];
        }
        List<string> ids;
        lock (index)
        {
            ids = [.. index.Reverse().Take(statuses is null ? limit : IExecutionStore.MaxScanned).Select(k => k.Item2)];
        }
        var result = new List<PipelineExecution>();
        foreach (var id in ids)
        {
            if (result.Count >= limit)
            {
                break;
            }
            if (_executions.TryGetValue(id, out var e) && (statuses is null || statuses.Contains(e.Status)))
            {
                result.Add(e.Read());
            }
        }
        return result;
    }
}
