namespace Delivery.Orchestrator.Stages;

public sealed class EvaluateVariablesStage : IStageDefinition
{
    public string Type => "evaluateVariables";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("evaluateVariables", "evaluateVariablesTask")];
}
