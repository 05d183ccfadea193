using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Echo.Orchestration;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.Logging;

namespace Delivery.Echo.Index;

/// <summary>
/// Every enabled trigger of every enabled pipeline config: rebuilt from the orchestrator's configs
/// (<see cref="GetApplications"/>, then <see cref="GetPipelineConfigs"/> per application) at start and every
/// <see cref="EchoOptions.IndexRefreshSeconds"/> (see <see cref="TriggerIndexRefresher"/>), and changed at once
/// by the orchestrator's <see cref="PipelineConfigSaved"/> / <see cref="PipelineConfigDeleted"/> events. Readers
/// see one immutable snapshot; every change replaces it whole. As in Spinnaker's Echo, a trigger counts only when
/// its <c>enabled</c> is true and its pipeline is not <c>disabled</c>.
/// </summary>
public sealed class TriggerIndex(OrchestratorClient orchestrator, TimeProvider time, ILogger<TriggerIndex> logger)
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly Lock _gate = new();
    private Snapshot _current = new([], new Dictionary<string, IndexedPipeline>());
    private DateTimeOffset _lastRebuild = DateTimeOffset.MinValue;
    // The config changes applied while a rebuild reads the configs, replayed onto its result: the rebuild may have
    // read a config before the change, and must not undo it.
    private List<Action<Dictionary<string, IndexedPipeline>>>? _duringRebuild;

    /// <summary>Raised after the index changed (a rebuild or a config event), with all its triggers (cron schedules follow it).</summary>
    public event Func<IReadOnlyList<IndexedTrigger>, Task>? Changed;

    /// <summary>True once a rebuild succeeded.</summary>
    public bool IsReady { get; private set; }

    /// <summary>The enabled triggers of one type (<c>webhook</c>, <c>docker</c>, <c>jenkins</c>, <c>cron</c>, <c>pipeline</c>).</summary>
    public IEnumerable<IndexedTrigger> OfType(string type) =>
        _current.Triggers.Where(t => string.Equals(t.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>A pipeline config by id, whether or not it has triggers; null when the index does not know it.</summary>
    public IndexedPipeline? Pipeline(string? id) => id is not null && _current.Pipelines.TryGetValue(id, out var p) ? p : null;

    /// <summary>
    /// The pipeline config <paramref name="id"/>, rebuilding the index first when it does not know it (a pipeline
    /// saved since the last rebuild) and the last rebuild is over a second old, so unknown ids cannot make echo
    /// rebuild on every event.
    /// </summary>
    public async Task<IndexedPipeline?> FindPipelineAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return null;
        }
        if (Pipeline(id) is { } known)
        {
            return known;
        }
        if (time.GetUtcNow() - _lastRebuild > TimeSpan.FromSeconds(1))
        {
            await RefreshAsync(cancellationToken);
        }
        return Pipeline(id);
    }

    /// <summary>Rebuilds the index from the orchestrator. False (and the old snapshot kept) when the orchestrator did not answer.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshing.WaitAsync(cancellationToken);
        lock (_gate)
        {
            _duringRebuild = [];
        }
        try
        {
            var apps = await orchestrator.SendAsync(new GetApplications(), cancellationToken);
            if (!apps.IsSuccess || JsonNode.Parse(apps.Json ?? "[]") is not JsonArray appList)
            {
                logger.LogWarning("Trigger index not rebuilt: the application list failed ({Detail}).", apps.Detail);
                return false;
            }
            var pipelines = new Dictionary<string, IndexedPipeline>();
            foreach (var name in appList.Select(a => a?["name"]?.GetValue<string>()).OfType<string>())
            {
                var configs = await orchestrator.SendAsync(new GetPipelineConfigs(name), cancellationToken);
                if (!configs.IsSuccess)
                {
                    logger.LogWarning("Trigger index not rebuilt: the pipelines of {Application} failed ({Detail}).", name, configs.Detail);
                    return false;
                }
                foreach (var config in (JsonNode.Parse(configs.Json ?? "[]") as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (Text(config["id"]) is { } id && Text(config["name"]) is { } pipelineName)
                    {
                        pipelines[id] = new IndexedPipeline(id, Text(config["application"]) ?? name, pipelineName, config);
                    }
                }
            }
            lock (_gate)
            {
                foreach (var change in _duringRebuild!)
                {
                    change(pipelines);
                }
                _current = Snapshot.Of(pipelines);
                _lastRebuild = time.GetUtcNow();
                IsReady = true;
            }
            await RaiseChangedAsync();
            return true;
        }
        finally
        {
            lock (_gate)
            {
                _duringRebuild = null;
            }
            _refreshing.Release();
        }
    }

    /// <summary>Takes a saved config in at once (its triggers are live, or gone if it is now disabled); a config that is not an object with a name is ignored.</summary>
    public Task ApplyAsync(PipelineConfigSaved saved)
    {
        if (JsonNode.Parse(saved.Json) is not JsonObject config || Text(config["name"]) is not { } name)
        {
            logger.LogWarning("Ignored the saved config {Id} of {Application}: not a pipeline object with a name.", saved.PipelineConfigId, saved.Application);
            return Task.CompletedTask;
        }
        var pipeline = new IndexedPipeline(saved.PipelineConfigId, Text(config["application"]) ?? saved.Application, name, config);
        return ChangeAsync(pipelines =>
        {
            if (!HoldsLaterSave(pipelines, pipeline.Id, saved.Time))
            {
                pipelines[pipeline.Id] = pipeline;
            }
        });
    }

    /// <summary>Drops a deleted config's triggers at once.</summary>
    public Task ApplyAsync(PipelineConfigDeleted deleted) => ChangeAsync(pipelines =>
    {
        if (!HoldsLaterSave(pipelines, deleted.PipelineConfigId, deleted.Time))
        {
            pipelines.Remove(deleted.PipelineConfigId);
        }
    });

    /// <summary>
    /// True when the index holds the config as saved after <paramref name="time"/> (its <c>updateTs</c>): config
    /// events may be consumed out of order, and an older one must not replace or remove a newer save.
    /// </summary>
    private static bool HoldsLaterSave(Dictionary<string, IndexedPipeline> pipelines, string id, long time) =>
        pipelines.TryGetValue(id, out var known) && UpdateTs(known.Config) > time;

    /// <summary>A config's <c>updateTs</c> (ms since the Unix epoch; front50 and the orchestrator write it as a string), or null.</summary>
    private static long? UpdateTs(JsonObject config) => config["updateTs"] switch
    {
        JsonValue v when v.TryGetValue(out long ms) => ms,
        JsonValue v when v.TryGetValue(out string? text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var ms) => ms,
        _ => null,
    };

    private Task ChangeAsync(Action<Dictionary<string, IndexedPipeline>> change)
    {
        lock (_gate)
        {
            _duringRebuild?.Add(change);
            var pipelines = new Dictionary<string, IndexedPipeline>(_current.Pipelines);
            change(pipelines);
            _current = Snapshot.Of(pipelines);
        }
        return RaiseChangedAsync();
    }

    /// <summary>Hands the latest triggers (not those of the change that raised it) over, so that a late call never restores an older state.</summary>
    private Task RaiseChangedAsync() => Changed is { } changed ? changed(Volatile.Read(ref _current).Triggers) : Task.CompletedTask;

    private static IEnumerable<IndexedTrigger> TriggersOf(IndexedPipeline pipeline)
    {
        var position = 0;
        foreach (var node in pipeline.Config["triggers"] as JsonArray ?? [])
        {
            position++;
            if (node is JsonObject trigger && Flag(trigger, "enabled") && Text(trigger["type"]) is { } type)
            {
                yield return new IndexedTrigger(pipeline, trigger, type, $"{pipeline.Id}:{Text(trigger["id"]) ?? position.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }
    }

    internal static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : null;

    internal static bool Flag(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out bool b) && b;

    private sealed record Snapshot(IReadOnlyList<IndexedTrigger> Triggers, IReadOnlyDictionary<string, IndexedPipeline> Pipelines)
    {
        public static Snapshot Of(Dictionary<string, IndexedPipeline> pipelines) =>
            new(pipelines.Values.Where(p => !Flag(p.Config, "disabled")).SelectMany(TriggersOf).ToList(), pipelines);
    }
}
