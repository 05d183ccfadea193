namespace Delivery.Orchestrator.Stages;

public sealed class WaitStage : IStageDefinition
{
    public string Type => "wait";

    public bool CanManuallySkip => true;

    /// <summary>Deck's "Skip remaining wait".</summary>
    public IReadOnlySet<string> UpdatableFields { get; } = new HashSet<string>(["skipRemainingWait"], StringComparer.Ordinal);

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("wait", "waitTask")];
}
