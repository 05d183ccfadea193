using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Stages;

/// <summary>
/// Spinnaker's <c>restrictExecutionDuringTimeWindow</c>: waits for the <c>restrictedExecutionWindow</c>, then
/// for the optional jitter. The engine also runs it as a before stage of any stage that has
/// <c>restrictExecutionDuringTimeWindow: true</c>, as Orca does.
/// </summary>
public sealed class RestrictExecutionWindowStage : IStageDefinition
{
    public const string StageType = "restrictExecutionDuringTimeWindow";

    public string Type => StageType;

    /// <summary>Deck's "Skip execution window" patches <c>skipRemainingWait</c>; skipping the whole stage is allowed too.</summary>
    public bool CanManuallySkip => true;

    public IReadOnlySet<string> UpdatableFields { get; } = new HashSet<string>(["skipRemainingWait"], StringComparer.Ordinal);

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage)
    {
        var jitter = stage.Context["restrictedExecutionWindow"]?["jitter"] as JsonObject;
        return ContextValues.Flag(jitter?["enabled"]) && ContextValues.Number(jitter?["maxDelay"]) is > 0
            ? [new("suspendExecutionDuringTimeWindow", "suspendExecutionDuringTimeWindowTask"), new("waitForJitter", "waitTask")]
            : [new("suspendExecutionDuringTimeWindow", "suspendExecutionDuringTimeWindowTask")];
    }

    public void PrepareForRestart(JsonObject context)
    {
        foreach (var key in new[] { "scheduledTime", "waitingFor", "skipRemainingWait", "waitTime" })
        {
            context.Remove(key);
        }
    }

    /// <summary>The execution-window stage to run before a stage that has <c>restrictExecutionDuringTimeWindow: true</c>.</summary>
    public static IReadOnlyList<SyntheticStage> BeforeStagesFor(IStageView stage) =>
        stage.Flag("restrictExecutionDuringTimeWindow") && stage.Context["restrictedExecutionWindow"] is JsonObject window
            ? [new(StageType, "Restrict Execution During", new JsonObject { ["restrictedExecutionWindow"] = window.DeepClone() })]
            : [];
}
