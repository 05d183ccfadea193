using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Orchestrator.Tasks;

namespace Delivery.Orchestrator.Model;

/// <summary>A node of the pipeline DAG (or a synthetic stage owned by one), with its tasks.</summary>
public sealed class StageExecution
{
    public required string Id { get; init; }
    public required string RefId { get; init; }
    public required string Type { get; init; }
    public required string Name { get; init; }
    public ExecutionStatus Status { get; set; } = ExecutionStatus.NotStarted;
    public JsonObject Context { get; set; } = [];
    public JsonObject Outputs { get; set; } = [];

    /// <summary>
    /// The stage's context as written in the pipeline, kept when it holds expressions (its evaluation replaces
    /// <see cref="Context"/>), so that a restart evaluates it afresh; null otherwise.
    /// </summary>
    public JsonObject? Definition { get; set; }
    public List<TaskExecution> Tasks { get; set; } = [];
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }

    /// <summary>Milliseconds spent PAUSED while running; <c>stageTimeoutMs</c> does not count them.</summary>
    public long PausedMs { get; set; }
    public List<string> RequisiteStageRefIds { get; set; } = [];
    public string? ParentStageId { get; init; }

    /// <summary><c>STAGE_BEFORE</c> or <c>STAGE_AFTER</c> for synthetic stages, null for stages of the pipeline.</summary>
    public string? SyntheticStageOwner { get; init; }

    /// <summary>True once the stage's synthetic after stages have been planned (they are planned when its tasks end).</summary>
    public bool AfterStagesPlanned { get; set; }

    /// <summary>True once the stage's synthetic onFailure stages have been planned.</summary>
    public bool OnFailureStagesPlanned { get; set; }

    public const string Before = "STAGE_BEFORE";
    public const string After = "STAGE_AFTER";

    /// <summary>Reads a boolean context flag the way Orca does: only a JSON true (or "true") counts.</summary>
    public bool Flag(string key) => ContextValues.Flag(Context[key]);
}
