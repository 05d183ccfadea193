using System.Text.Json;

namespace Delivery.Gate.Endpoints.Schemas;

/// <summary>
/// A pipeline execution as Orca returns it. Statuses are Orca's: <c>NOT_STARTED</c>, <c>RUNNING</c>,
/// <c>PAUSED</c>, <c>SUSPENDED</c>, <c>SUCCEEDED</c>, <c>FAILED_CONTINUE</c>, <c>TERMINAL</c>,
/// <c>CANCELED</c>, <c>REDIRECT</c>, <c>STOPPED</c>, <c>SKIPPED</c>, <c>BUFFERED</c>. Times are Unix
/// milliseconds. Only the OpenAPI document uses this type: gate passes the JSON through unchanged.
/// </summary>
public sealed record PipelineExecution
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public required string Application { get; init; }

    public required string Name { get; init; }

    public string? PipelineConfigId { get; init; }

    public required string Status { get; init; }

    public required long BuildTime { get; init; }

    public long? StartTime { get; init; }

    public long? EndTime { get; init; }

    public required bool Canceled { get; init; }

    public string? CanceledBy { get; init; }

    public string? CancellationReason { get; init; }

    public required bool LimitConcurrent { get; init; }

    public required bool KeepWaitingPipelines { get; init; }

    public JsonElement? Paused { get; init; }

    public required Dictionary<string, JsonElement> Trigger { get; init; }

    public required List<StageExecution> Stages { get; init; }
}

/// <summary>One stage of an execution, with its tasks; <c>context</c> holds its settings and what its tasks wrote.</summary>
public sealed record StageExecution
{
    public required string Id { get; init; }

    public required string RefId { get; init; }

    public required string Type { get; init; }

    public required string Name { get; init; }

    public required string Status { get; init; }

    public long? StartTime { get; init; }

    public long? EndTime { get; init; }

    public required List<string> RequisiteStageRefIds { get; init; }

    public string? ParentStageId { get; init; }

    public string? SyntheticStageOwner { get; init; }

    public required Dictionary<string, JsonElement> Context { get; init; }

    public required Dictionary<string, JsonElement> Outputs { get; init; }

    public required List<TaskExecution> Tasks { get; init; }
}

/// <summary>One task of a stage.</summary>
public sealed record TaskExecution
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string ImplementingClass { get; init; }

    public required string Status { get; init; }

    public long? StartTime { get; init; }

    public long? EndTime { get; init; }

    public required bool StageStart { get; init; }

    public required bool StageEnd { get; init; }
}
