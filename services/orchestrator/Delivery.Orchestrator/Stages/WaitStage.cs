namespace Delivery.Orchestrator.Stages;

public sealed class WaitStage : IStageDefinition
{
    public string Type => "wait";

    public bool CanManuallySkip => true;

    public IReadOnlyList<TaskDefinition> Tasks(Model.StageExecution stage) => [new("wait", "waitTask")];
}
