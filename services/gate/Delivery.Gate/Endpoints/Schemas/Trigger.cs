using System.Text.Json;
using System.Text.Json.Serialization;

namespace Delivery.Gate.Endpoints.Schemas;

/// <summary>
/// The body of a manual trigger (may be empty). It becomes the execution's <c>trigger</c>; gate
/// sets <c>user</c> from the <c>X-SPINNAKER-USER</c> header unless the body names one.
/// </summary>
public sealed record TriggerRequest
{
    /// <summary>Spinnaker's trigger type, <c>manual</c> when absent.</summary>
    public string? Type { get; init; }

    /// <summary>Who started it.</summary>
    public string? User { get; init; }

    /// <summary>Values for the pipeline's <c>parameterConfig</c>.</summary>
    public Dictionary<string, JsonElement>? Parameters { get; init; }

    /// <summary>Anything else is kept in the execution's trigger (artifacts, a build's details ...).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Attributes { get; init; }
}

/// <summary>The answer to a trigger: where the new execution can be read.</summary>
public sealed record TriggerAccepted
{
    /// <summary>The execution's path, <c>/pipelines/{id}</c>.</summary>
    public required string Ref { get; init; }
}

/// <summary>
/// A change to a running stage's context, as Spinnaker's UI sends for a manual judgment
/// (<c>judgmentStatus</c> <c>continue</c> or <c>stop</c>, and an optional <c>judgmentInput</c>).
/// </summary>
public sealed record StageUpdate
{
    public string? JudgmentStatus { get; init; }

    public string? JudgmentInput { get; init; }

    /// <summary>Other context values the stage type accepts.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Context { get; init; }
}
