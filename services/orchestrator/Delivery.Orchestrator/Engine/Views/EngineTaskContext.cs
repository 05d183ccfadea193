using System.Text.Json.Nodes;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks;

namespace Delivery.Orchestrator.Engine.Views;

/// <summary>The context of one task run, read from the execution being handled.</summary>
internal sealed class EngineTaskContext : TaskContext
{
    private readonly PipelineExecution _execution;
    private readonly StageExecution _stage;
    private readonly TaskExecution _task;
    private IReadOnlyDictionary<string, JsonNode?>? _callbacks;

    public EngineTaskContext(PipelineExecution execution, StageExecution stage, TaskExecution task, long now)
    {
        (_execution, _stage, _task) = (execution, stage, task);
        Stage = new StageReadView(stage);
        Execution = new ExecutionReadView(execution, Stage);
        Task = new TaskReadView(task);
        Now = now;
    }

    public override IExecutionView Execution { get; }
    public override IStageView Stage { get; }
    public override ITaskView Task { get; }
    public override long Now { get; }

    public override IReadOnlyDictionary<string, JsonNode?> Callbacks =>
        _callbacks ??= _task.Callbacks is { } callbacks ? callbacks.ToDictionary(c => c.Key, c => c.Value?.DeepClone()) : new Dictionary<string, JsonNode?>();

    public override JsonObject ExpressionRoot() => Tasks.ExpressionRoot.For(_execution, _stage);
}
