using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Expressions;
using Delivery.Orchestrator.Model;
using Delivery.ServiceDefaults;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// Evaluates stage expressions against what Spinnaker users expect to see: <c>execution</c>,
/// <c>trigger</c>, <c>parameters</c>, the outputs of upstream stages and the stage's own context.
/// </summary>
public sealed class StageExpressions(ExpressionEvaluator evaluator) : IStageExpressions
{
    public IReadOnlyList<string> ProcessContext(PipelineExecution execution, StageExecution stage)
    {
        if (!ExpressionEvaluator.ContainsExpressions(stage.Context))
        {
            return [];
        }
        var result = evaluator.ProcessTree(stage.Context, Root(execution, stage));
        if (result.Value is JsonObject evaluated)
        {
            stage.Context = evaluated;
        }
        return [.. result.Errors.Select(e => $"Failed to evaluate {e.Expression}: {e.Message}")];
    }

    public bool IsEnabled(PipelineExecution execution, StageExecution stage)
    {
        if (stage.Context["stageEnabled"] is not JsonObject enabled || enabled["expression"] is not { } expressionNode)
        {
            return true;
        }
        var expression = expressionNode is JsonValue v && v.TryGetValue(out string? s) ? s : expressionNode.ToJsonString();
        try
        {
            return evaluator.EvaluateCondition(expression, Root(execution, stage));
        }
        catch (ExpressionException e)
        {
            throw new InvalidOperationException($"stageEnabled expression '{expression}' could not be evaluated: {e.Message}", e);
        }
    }

    private static JsonObject Root(PipelineExecution execution, StageExecution stage)
    {
        var root = new JsonObject();
        foreach (var ancestor in Ancestors(execution, stage).Reverse())
        {
            foreach (var (key, value) in ancestor.Outputs)
            {
                root[key] = value?.DeepClone();
            }
        }
        foreach (var (key, value) in stage.Context)
        {
            root[key] = value?.DeepClone();
        }
        root["execution"] = JsonSerializer.SerializeToNode(execution, JsonDefaults.Options);
        root["trigger"] = execution.Trigger.DeepClone();
        root["parameters"] = execution.Trigger["parameters"]?.DeepClone() ?? new JsonObject();
        return root;
    }

    /// <summary>Stages this one depends on, nearest first: upstream stages, transitively, and for a synthetic stage its parent's.</summary>
    private static IEnumerable<StageExecution> Ancestors(PipelineExecution execution, StageExecution stage)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<StageExecution>([stage]);
        while (queue.TryDequeue(out var current))
        {
            var next = execution.Upstream(current).ToList();
            if (current.ParentStageId is { } parentId && execution.FindStage(parentId) is { } parent)
            {
                next.Add(parent);
            }
            foreach (var s in next.Where(s => seen.Add(s.Id)))
            {
                queue.Enqueue(s);
                yield return s;
            }
        }
    }
}
