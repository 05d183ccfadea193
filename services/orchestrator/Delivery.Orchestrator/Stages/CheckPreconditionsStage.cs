namespace Delivery.Orchestrator.Stages;

/// <summary>
/// Spinnaker's <c>checkPreconditions</c>: every entry of <c>preconditions</c> (<c>expression</c> or
/// <c>stageStatus</c>) must hold, or the stage fails (see <see cref="Tasks.Preconditions.CheckPreconditionsTask"/>).
/// </summary>
public sealed class CheckPreconditionsStage : IStageDefinition
{
    public string Type => "checkPreconditions";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("checkPreconditions", "checkPreconditionsTask")];

}
