using System.Text.Json.Nodes;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Pipelines;
using Microsoft.Extensions.Options;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Tasks.Pipelines;

/// <summary>
/// Creates and starts the child execution of a <c>pipeline</c> stage: the config <c>pipeline</c> (id or name) of
/// <c>application</c> (default: the parent's), with <c>pipelineParameters</c> and a <c>pipeline</c> trigger naming
/// the parent. The child id is derived from the parent stage, so running this task again starts nothing new.
/// </summary>
public sealed class StartPipelineTask(
    IPipelineConfigStore configs, ExecutionFactory factory, IExecutionStore executions, OutboxSender sender, IOptions<OrchestratorOptions> options) : IStageTask
{
    public string Name => "startPipelineTask";

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var (parent, stage) = (context.Execution, context.Stage);
        var application = (ContextValues.String(stage.Context["application"]) is { Length: > 0 } app ? app : parent.Application).ToLowerInvariant();
        if (ContextValues.String(stage.Context["pipeline"]) is not { Length: > 0 } pipeline)
        {
            return TaskResult.Terminal("The pipeline stage needs 'pipeline': the id or name of the pipeline to run.");
        }
        var config = (await configs.ListAsync(application)).FirstOrDefault(c => ContextValues.String(c["id"]) == pipeline)
            ?? await configs.GetAsync(application, pipeline);
        if (config is null)
        {
            return TaskResult.Terminal($"Pipeline '{pipeline}' of application '{application}' was not found (by id or by name).");
        }
        var name = ContextValues.String(config["name"]);
        if (ContextValues.Flag(config["disabled"]))
        {
            return TaskResult.Terminal($"Pipeline '{name}' of application '{application}' is disabled.");
        }
        if (stage.Context["pipelineParameters"] is not (null or JsonObject))
        {
            return TaskResult.Terminal("'pipelineParameters' must be an object of parameter names to values.");
        }
        var maxDepth = options.Value.MaxPipelineDepth;
        if (await DepthAsync(parent.Trigger, maxDepth) >= maxDepth)
        {
            return TaskResult.Terminal($"Pipeline '{name}' would run {maxDepth + 1} pipelines deep (this one started by a pipeline stage, "
                + $"and so on up): at most {maxDepth} may nest (Delivery:Orchestrator:MaxPipelineDepth).");
        }
        if (ChildPipelines.ExecutionId(parent.Id, stage) is not { } id)
        {
            return TaskResult.Terminal("The pipeline stage has no start time to derive the child execution id from.");
        }

        var trigger = new JsonObject
        {
            ["type"] = "pipeline",
            ["user"] = parent.Trigger["user"]?.DeepClone() ?? "anonymous",
            ["parameters"] = stage.Context["pipelineParameters"]?.DeepClone() ?? new JsonObject(),
            ["parentExecution"] = new JsonObject
            {
                ["id"] = parent.Id,
                ["application"] = parent.Application,
                ["name"] = parent.Name,
                ["pipelineConfigId"] = parent.PipelineConfigId,
            },
            ["parentPipelineId"] = parent.Id,
            ["parentPipelineName"] = parent.Name,
            ["parentPipelineApplication"] = parent.Application,
            [ChildPipelines.ParentStageField] = stage.Id,
        };
        var (child, problem) = factory.Create((JsonObject)config.DeepClone(), trigger, id);
        if (child is null)
        {
            return TaskResult.Terminal($"Could not start pipeline '{name}': {problem}");
        }
        // An earlier run of this task may have created the child: starting it again is harmless.
        await sender.CreateAndStartAsync(child, cancellationToken);

        var started = new JsonObject
        {
            ["executionId"] = id,
            ["executionName"] = child.Name,
            ["application"] = child.Application,
        };
        return TaskResult.Succeeded(started, new JsonObject { ["executionId"] = id, ["executionName"] = child.Name });
    }

    /// <summary>How many pipelines deep the execution with <paramref name="trigger"/> runs (1 at the top), counted up to <paramref name="max"/>.</summary>
    private async Task<int> DepthAsync(JsonObject trigger, int max)
    {
        var depth = 1;
        while (depth < max && ChildPipelines.Parent(trigger) is { } parent && await executions.GetAsync(parent.ExecutionId) is { } ancestor)
        {
            depth++;
            trigger = ancestor.Trigger;
        }
        return depth;
    }
}
