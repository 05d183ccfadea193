using System.Text.Json;
using System.Text.Json.Serialization;

namespace Delivery.Gate.Endpoints.Schemas;

/// <summary>
/// A pipeline config (Spinnaker's pipeline JSON as front50 stores it). Only the OpenAPI document
/// uses this type: gate passes the JSON through unchanged.
/// </summary>
public sealed record PipelineConfig
{
    /// <summary>Assigned on first save when absent.</summary>
    public string? Id { get; init; }

    public required string Application { get; init; }

    /// <summary>Unique within the application.</summary>
    public required string Name { get; init; }

    /// <summary>The stage graph: each stage names the <c>refId</c>s it waits on.</summary>
    public required List<StageConfig> Stages { get; init; }

    /// <summary>What starts the pipeline besides a manual trigger.</summary>
    public List<JsonElement>? Triggers { get; init; }

    /// <summary>Parameters a trigger may give, with defaults.</summary>
    public List<JsonElement>? ParameterConfig { get; init; }

    /// <summary>Run at most one execution at a time; later ones wait.</summary>
    public bool? LimitConcurrent { get; init; }

    /// <summary>With <c>limitConcurrent</c>, keep every waiting execution rather than only the newest.</summary>
    public bool? KeepWaitingPipelines { get; init; }

    /// <summary>A disabled pipeline cannot be triggered (409).</summary>
    public bool? Disabled { get; init; }

    /// <summary>When it was last saved, Unix milliseconds as text (set by the server).</summary>
    public string? UpdateTs { get; init; }

    /// <summary>Any other attribute, kept as given.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Attributes { get; init; }
}

/// <summary>One stage of a pipeline config; its other properties depend on its <c>type</c>.</summary>
public sealed record StageConfig
{
    /// <summary>Unique within the pipeline.</summary>
    public required string RefId { get; init; }

    /// <summary>The stage type, e.g. <c>wait</c>, <c>manualJudgment</c>, <c>evaluateVariables</c>, <c>pipeline</c>, <c>webhook</c>, <c>jenkins</c>.</summary>
    public required string Type { get; init; }

    public string? Name { get; init; }

    /// <summary>The stages that must complete first.</summary>
    public List<string>? RequisiteStageRefIds { get; init; }

    /// <summary>The stage type's own settings (e.g. <c>waitTime</c> of a wait stage).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Settings { get; init; }
}
