using System.Text.Json.Nodes;
using Delivery.Contracts;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>
/// A read-only view of one stage. <see cref="Context"/> and <see cref="Outputs"/> are copies: changing them changes
/// nothing; a task changes its stage through its <see cref="TaskResult"/>.
/// </summary>
public interface IStageView
{
    /// <summary>The stage id (a ULID).</summary>
    string Id { get; }

    /// <summary>The stage's <c>refId</c> in the pipeline graph (synthetic stages: the parent's with <c>&lt;n</c> or <c>&gt;n</c>).</summary>
    string RefId { get; }

    /// <summary>The stage type.</summary>
    string Type { get; }

    /// <summary>The stage's name.</summary>
    string Name { get; }

    /// <summary>The stage's status.</summary>
    ExecutionStatus Status { get; }

    /// <summary>When the stage started, in epoch milliseconds.</summary>
    long? StartTime { get; }

    /// <summary>When the stage ended, in epoch milliseconds.</summary>
    long? EndTime { get; }

    /// <summary>The refIds of the stages this one waits for.</summary>
    IReadOnlyList<string> RequisiteStageRefIds { get; }

    /// <summary>The stage that owns this synthetic stage; null for a stage of the pipeline.</summary>
    string? ParentStageId { get; }

    /// <summary><c>STAGE_BEFORE</c> or <c>STAGE_AFTER</c> for a synthetic stage, null otherwise.</summary>
    string? SyntheticStageOwner { get; }

    /// <summary>A copy of the stage's context: its settings (expressions already evaluated) and what its tasks recorded.</summary>
    JsonObject Context { get; }

    /// <summary>A copy of the stage's outputs.</summary>
    JsonObject Outputs { get; }

    /// <summary>The stage's planned tasks.</summary>
    IReadOnlyList<ITaskView> Tasks { get; }

    /// <summary>Reads a boolean context setting the way Orca does: only a JSON true (or "true") counts.</summary>
    bool Flag(string key) => ContextValues.Flag(Context[key]);
}
