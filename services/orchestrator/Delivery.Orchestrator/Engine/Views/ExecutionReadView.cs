using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine.Views;

/// <summary>An execution as stage types and tasks see it; <paramref name="known"/> reuses a view already made of one of its stages.</summary>
internal sealed class ExecutionReadView(PipelineExecution execution, IStageView? known = null) : IExecutionView
{
    private JsonObject? _trigger;
    private IReadOnlyList<IStageView>? _stages;

    public string Id => execution.Id;
    public string Application => execution.Application;
    public string Name => execution.Name;
    public string? PipelineConfigId => execution.PipelineConfigId;
    public ExecutionStatus Status => execution.Status;
    public JsonObject Trigger => _trigger ??= (JsonObject)execution.Trigger.DeepClone();
    public IReadOnlyList<IStageView> Stages => _stages ??= [.. execution.Stages.Select(s => s.Id == known?.Id ? known : new StageReadView(s))];
}
