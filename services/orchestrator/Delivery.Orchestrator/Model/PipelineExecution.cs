using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Delivery.Contracts;

namespace Delivery.Orchestrator.Model;

/// <summary>
/// One run of a pipeline, in Spinnaker's execution JSON shape. The whole document is the
/// unit of persistence: it is loaded, changed by one handler and saved with a version check.
/// </summary>
public sealed class PipelineExecution
{
    public required string Id { get; init; }
    /// <summary><see cref="ExecutionTypes.Pipeline"/> or <see cref="ExecutionTypes.Orchestration"/> (an ad-hoc task).</summary>
    public string Type { get; init; } = ExecutionTypes.Pipeline;
    public required string Application { get; init; }
    public required string Name { get; init; }
    public string? PipelineConfigId { get; init; }
    public ExecutionStatus Status { get; set; } = ExecutionStatus.NotStarted;
    public long BuildTime { get; init; }
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public bool Canceled { get; set; }
    public string? CanceledBy { get; set; }
    public string? CancellationReason { get; set; }
    public bool LimitConcurrent { get; init; }
    public bool KeepWaitingPipelines { get; init; }
    public PausedDetails? Paused { get; set; }
    public JsonObject Trigger { get; init; } = [];
    public List<StageExecution> Stages { get; init; } = [];

    /// <summary>Engine messages that arrived while the execution was paused, sent again on resume.</summary>
    public JsonArray? DeferredMessages { get; set; }

    /// <summary>
    /// The version the zombie sweep's last re-drive saved, when it sent more than task polls; found unchanged by the next
    /// sweep, that re-drive led nowhere and the execution cannot be re-driven.
    /// </summary>
    public long? RevivedAtVersion { get; set; }

    /// <summary>How many events the execution has published: the last event's <c>Sequence</c>.</summary>
    public long EventSequence { get; set; }

    /// <summary>Optimistic-concurrency version; the store bumps it on every save.</summary>
    [JsonIgnore] public long Version { get; set; }

    /// <summary>
    /// Set by <see cref="Persistence.IExecutionStore.LoadForUpdateAsync"/>: the message the execution was loaded for had its
    /// change saved already, within the store's window (<see cref="OrchestratorOptions.AppliedMessagesWindowMs"/>), so a
    /// redelivery, however late within it, is recognized and not applied again.
    /// </summary>
    [JsonIgnore] public bool LoadedMessageApplied { get; set; }

    /// <summary>
    /// Gate requests (pause, resume, restart, update, skip, cancel) applied to this execution, by message id, with the
    /// time applied: a request redelivered however late within <see cref="RequestsRememberedMs"/> is recognized and not
    /// applied again (a redelivered pause must not pause again after a resume). Requests are human actions, so few.
    /// The engine's bookkeeping, not part of the execution: the store keeps it beside the document
    /// (<see cref="Persistence.ExecutionSerializer.SerializeRequests"/>), so the API never shows it.
    /// </summary>
    [JsonIgnore] public Dictionary<string, long>? AppliedRequests { get; set; }

    /// <summary>How long an applied request is remembered: a day, far beyond any broker's redelivery.</summary>
    public const long RequestsRememberedMs = 86_400_000;

    /// <summary>The most requests remembered; the oldest are forgotten first.</summary>
    public const int RequestsRemembered = 200;

    /// <summary>Records a request as applied at <paramref name="now"/>, forgetting those older than the window.</summary>
    public void MarkRequestApplied(string messageId, long now)
    {
        var applied = AppliedRequests ??= new Dictionary<string, long>(StringComparer.Ordinal);
        applied[messageId] = now;
        foreach (var (id, _) in applied.Where(a => a.Value < now - RequestsRememberedMs).ToList())
        {
            applied.Remove(id);
        }
        foreach (var (id, _) in applied.OrderBy(a => a.Value).Take(applied.Count - RequestsRemembered).ToList())
        {
            applied.Remove(id);
        }
    }

    /// <summary>
    /// Whether <paramref name="messageId"/>, the message this execution was loaded for, was applied to it (an engine message
    /// within the store's window, or a gate request).
    /// </summary>
    public bool WasApplied(string messageId) => LoadedMessageApplied || AppliedRequests?.ContainsKey(messageId) == true;

    public StageExecution Stage(string id) => Stages.Find(s => s.Id == id)
        ?? throw new KeyNotFoundException($"Execution {Id} has no stage {id}.");

    public StageExecution? FindStage(string id) => Stages.Find(s => s.Id == id);

    [JsonIgnore] public IEnumerable<StageExecution> TopLevelStages => Stages.Where(s => s.ParentStageId is null);
}

public sealed class PausedDetails
{
    public string? PausedBy { get; set; }
    public long PauseTime { get; set; }
    public string? ResumedBy { get; set; }
    public long? ResumeTime { get; set; }
    public long PausedMs { get; set; }
}
