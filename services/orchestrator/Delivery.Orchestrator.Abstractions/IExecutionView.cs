using System.Text.Json.Nodes;
using Delivery.Contracts;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>A read-only view of a pipeline execution, as a task or stage type sees it while the engine handles it.</summary>
public interface IExecutionView
{
    /// <summary>The execution id (a ULID).</summary>
    string Id { get; }

    /// <summary>The application the pipeline belongs to.</summary>
    string Application { get; }

    /// <summary>The pipeline's name.</summary>
    string Name { get; }

    /// <summary>The id of the pipeline config it runs; null for an ad-hoc orchestration.</summary>
    string? PipelineConfigId { get; }

    /// <summary>The execution's status.</summary>
    ExecutionStatus Status { get; }

    /// <summary>A copy of the trigger (<c>type</c>, <c>user</c>, <c>parameters</c>, payload ...).</summary>
    JsonObject Trigger { get; }

    /// <summary>Every stage of the execution, synthetic ones included, in the order they were added.</summary>
    IReadOnlyList<IStageView> Stages { get; }
}
