using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tasks;

namespace Delivery.Orchestrator.Pipelines;

/// <summary>
/// Checks, when a pipeline is saved, the stage fields whose values the engine reads as numbers or URLs, so that a value
/// that can only fail (or be ignored) at run time is refused at the door. A field holding an expression (<c>${...}</c>)
/// is checked after evaluation instead, by the task that reads it.
/// </summary>
internal static class StageFieldChecks
{
    /// <summary>The longest wait a <c>wait</c> stage takes: a year, in seconds (longer ones overflow the engine's timers).</summary>
    public const double MaxWaitSeconds = 365 * 86_400;

    public static void Check(JsonObject stage, string? type, string path, string label, PipelineProblems errors)
    {
        if (type == "wait" && stage["waitTime"] is { } waitTime && !IsExpression(waitTime)
            && (ContextValues.Number(waitTime) is not { } seconds || seconds < 0 || !double.IsFinite(seconds) || seconds > MaxWaitSeconds))
        {
            errors.Add($"{path}.waitTime", $"'waitTime' must be a number of seconds from 0 to {MaxWaitSeconds:0} (or an expression), not {Truncate(waitTime.ToJsonString())}.", label);
        }
        // Orca reads stageTimeoutMs as a number of milliseconds on any stage.
        if (stage["stageTimeoutMs"] is { } timeout && !IsExpression(timeout)
            && (ContextValues.Number(timeout) is not { } ms || ms < 0 || !double.IsFinite(ms) || ms > long.MaxValue / 2))
        {
            errors.Add($"{path}.stageTimeoutMs", $"'stageTimeoutMs' must be a number of milliseconds >= 0 (or an expression), not {Truncate(timeout.ToJsonString())}.", label);
        }
        if (type == "webhook" && stage["url"] is { } url && !IsExpression(url)
            && (PipelineValidator.Scalar(url) is not { } text || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"{path}.url", $"'url' must be an absolute http(s) URL (or an expression), not {Truncate(url.ToJsonString())}.", label);
        }
    }

    public static bool IsExpression(JsonNode node) => node is JsonValue v && v.TryGetValue(out string? s) && s.Contains("${", StringComparison.Ordinal);

    public static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
