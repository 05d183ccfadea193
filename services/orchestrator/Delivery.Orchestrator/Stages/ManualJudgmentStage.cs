using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Stages;

public sealed class ManualJudgmentStage : IStageDefinition
{
    private static readonly string[] JudgmentKeys = ["judgmentStatus", "judgmentInput", "lastModifiedBy", "lastModified"];

    public string Type => "manualJudgment";

    public bool CanManuallySkip => true;

    /// <summary>What Deck's judgment buttons send.</summary>
    public IReadOnlySet<string> UpdatableFields { get; } = new HashSet<string>(["judgmentStatus", "judgmentInput", "lastModifiedBy"], StringComparer.Ordinal);

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("waitForJudgment", "waitForJudgmentTask")];

    public string? ValidateUpdate(IStageView stage, JsonObject patch)
    {
        if (patch["judgmentStatus"] is { } statusNode)
        {
            var status = ContextValues.String(statusNode)?.ToLowerInvariant();
            if (status is not ("continue" or "stop"))
            {
                return $"judgmentStatus must be 'continue' or 'stop', not '{ContextValues.String(statusNode)}'.";
            }
        }
        if (patch["judgmentInput"] is { } input && stage.Context["judgmentInputs"] is JsonArray { Count: > 0 } allowed)
        {
            var value = ContextValues.String(input);
            var values = allowed.Select(a => ContextValues.String(a is JsonObject o ? o["value"] : a)).ToList();
            if (!values.Contains(value))
            {
                return $"judgmentInput '{value}' is not one of the stage's judgmentInputs: {string.Join(", ", values)}.";
            }
        }
        return null;
    }

    public void PrepareForRestart(JsonObject context)
    {
        foreach (var key in JudgmentKeys)
        {
            context.Remove(key);
        }
    }
}
