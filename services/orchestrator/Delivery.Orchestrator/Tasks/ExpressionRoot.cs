using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Model;
using Delivery.ServiceDefaults;

namespace Delivery.Orchestrator.Tasks;

/// <summary>
/// The root a task evaluates an expression against at run time, built like the one stage contexts are
/// evaluated against when a stage starts: upstream outputs, the stage's context, <c>execution</c>,
/// <c>trigger</c> and <c>parameters</c>.
/// </summary>
public static class ExpressionRoot
{
    public static JsonObject For(PipelineExecution execution, StageExecution stage)
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

    /// <summary>Upstream stages, transitively and nearest first, including a synthetic stage's parent and its upstream.</summary>
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
