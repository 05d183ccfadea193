using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine.Views;

/// <summary>A stage as stage types and tasks see it: live scalar fields, and its context and outputs copied on first read.</summary>
internal sealed class StageReadView(StageExecution stage) : IStageView
{
    private JsonObject? _context;
    private JsonObject? _outputs;
    private IReadOnlyList<ITaskView>? _tasks;

    public string Id => stage.Id;
    public string RefId => stage.RefId;
    public string Type => stage.Type;
    public string Name => stage.Name;
    public ExecutionStatus Status => stage.Status;
    public long? StartTime => stage.StartTime;
    public long? EndTime => stage.EndTime;
    public IReadOnlyList<string> RequisiteStageRefIds => stage.RequisiteStageRefIds.AsReadOnly();
    public string? ParentStageId => stage.ParentStageId;
    public string? SyntheticStageOwner => stage.SyntheticStageOwner;
    public JsonObject Context => _context ??= (JsonObject)stage.Context.DeepClone();
    public JsonObject Outputs => _outputs ??= (JsonObject)stage.Outputs.DeepClone();
    public IReadOnlyList<ITaskView> Tasks => _tasks ??= [.. stage.Tasks.Select(t => new TaskReadView(t))];

    // Reads the live value: a flag needs no copy of the whole context.
    public bool Flag(string key) => stage.Flag(key);
}
