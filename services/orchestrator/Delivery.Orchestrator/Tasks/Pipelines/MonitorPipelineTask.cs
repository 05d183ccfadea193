using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;

namespace Delivery.Orchestrator.Tasks.Pipelines;

/// <summary>
/// Waits for a <c>pipeline</c> stage's child execution. The child's completion wakes this task at once
/// (<see cref="Stages.ChildPipelineCompletedConsumer"/>); a slow poll is the safety net. On completion the
/// stage gets the child's <c>status</c> and, in its outputs, the child's stage outputs merged in stage order
/// (as Orca exposes the child's context). A failed child fails the stage with the child's errors; a canceled
/// child cancels it.
/// </summary>
public sealed class MonitorPipelineTask(IExecutionStore executions) : IStageTask
{
    /// <summary>The safety-net poll, for a completion event that got lost.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    /// <summary>Orca's default wait for a child pipeline, unless the stage sets <c>stageTimeoutMs</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(12);

    public string Name => "monitorPipelineTask";

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var (parent, stage) = (context.Execution, context.Stage);
        if (ChildPipelines.ExecutionId(parent.Id, stage) is not { } id)
        {
            return TaskResult.Terminal("The pipeline stage has no child execution to wait for.");
        }
        if (await executions.GetAsync(id) is not { } child)
        {
            return TaskResult.Terminal($"The child pipeline execution '{id}' was not found.");
        }
        var status = new JsonObject { ["status"] = child.Status.ToWire() };
        if (!child.Status.IsComplete())
        {
            if (stage.Context["stageTimeoutMs"] is null && context.Now - (context.Task.RunningSince ?? context.Now) > DefaultTimeout.TotalMilliseconds)
            {
                return TaskResult.Terminal($"The child pipeline '{child.Name}' ({id}) did not complete within {DefaultTimeout} (set stageTimeoutMs to wait longer).");
            }
            return TaskResult.Running(Poll, ContextValues.String(stage.Context["status"]) == child.Status.ToWire() ? null : status);
        }

        var outputs = new JsonObject();
        foreach (var childStage in child.Stages)
        {
            foreach (var (key, value) in childStage.Outputs)
            {
                outputs[key] = value?.DeepClone();
            }
        }
        outputs["executionId"] = id;
        outputs["executionName"] = child.Name;
        outputs["status"] = child.Status.ToWire();
        return child.Status switch
        {
            ExecutionStatus.Succeeded => TaskResult.Succeeded(status, outputs),
            ExecutionStatus.Canceled => TaskErrors.Fail(ExecutionStatus.Canceled,
                [$"The child pipeline '{child.Name}' ({id}) was canceled{(child.CanceledBy is { } by ? $" by {by}" : "")}."], status, outputs),
            _ => TaskErrors.Fail(ExecutionStatus.Terminal, Errors(child), status, outputs),
        };
    }

    /// <summary>The errors of the child's failed stages, named as Orca names them.</summary>
    private static List<string> Errors(PipelineExecution child)
    {
        var errors = new List<string>();
        foreach (var failed in child.Stages.Where(s => s.Status == ExecutionStatus.Terminal))
        {
            var details = failed.Context["exception"]?["details"];
            var messages = details?["errors"] is JsonArray list && list.Count > 0
                ? list.Select(ContextValues.String).OfType<string>().ToList()
                : ContextValues.String(details?["error"]) is { } one ? [one] : [];
            errors.AddRange(messages.Select(m => $"Exception in child pipeline stage ({child.Name}: {failed.Name}): {m}"));
        }
        if (errors.Count == 0)
        {
            errors.Add($"The child pipeline '{child.Name}' ({child.Id}) ended {child.Status.ToWire()}.");
        }
        return errors;
    }
}
