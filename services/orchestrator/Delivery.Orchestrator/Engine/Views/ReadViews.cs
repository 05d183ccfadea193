using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine.Views;

/// <summary>Read-only views of the engine's model, for stage types and tasks (which must not change it directly).</summary>
internal static class ReadViews
{
    public static IStageView View(this StageExecution stage) => new StageReadView(stage);

    public static IExecutionView View(this PipelineExecution execution) => new ExecutionReadView(execution);
}
