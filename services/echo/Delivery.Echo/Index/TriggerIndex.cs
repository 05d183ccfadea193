using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Echo.Orchestration;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.Logging;

namespace Delivery.Echo.Index;

/// <summary>
/// Every enabled trigger of every enabled pipeline config, rebuilt from the orchestrator's configs
/// (<see cref="GetApplications"/>, then <see cref="GetPipelineConfigs"/> per application) at start and every
/// <see cref="EchoOptions.IndexRefreshSeconds"/> (see <see cref="TriggerIndexRefresher"/>). Readers see one
/// immutable snapshot; a rebuild replaces it whole. As in Spinnaker's Echo, a trigger counts only when its
/// <c>enabled</c> is true and its pipeline is not <c>disabled</c>.
/// </summary>
public sealed class TriggerIndex(OrchestratorClient orchestrator, TimeProvider time, ILogger<TriggerIndex> logger)
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private Snapshot _current = new([], new Dictionary<string, IndexedPipeline>());
    private DateTimeOffset _lastRebuild = DateTimeOffset.MinValue;

    /// <summary>Raised after a rebuild, with the new triggers (cron schedules follow it).</summary>
    public event Func<IReadOnlyList<IndexedTrigger>, Task>? Rebuilt;

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
            var triggers = pipelines.Values.Where(p => !Flag(p.Config, "disabled")).SelectMany(TriggersOf).ToList();
            _current = new Snapshot(triggers, pipelines);
            _lastRebuild = time.GetUtcNow();
            IsReady = true;
            if (Rebuilt is { } rebuilt)
            {
                await rebuilt(triggers);
            }
            return true;
        }
        finally
        {
            _refreshing.Release();
        }
    }

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

    private sealed record Snapshot(IReadOnlyList<IndexedTrigger> Triggers, IReadOnlyDictionary<string, IndexedPipeline> Pipelines);
}
