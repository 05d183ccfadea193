namespace Delivery.Orchestrator.Stages;

public sealed class WaitStage : IStageDefinition
{
    public string Type => "wait";

    public bool CanManuallySkip => true;

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("wait", "waitTask")];
}
