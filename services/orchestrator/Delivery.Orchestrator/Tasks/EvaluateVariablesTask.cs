using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Tasks;

/// <summary>Publishes <c>variables</c> (a list of <c>{key, value}</c>, already evaluated) as stage outputs for later stages.</summary>
public sealed class EvaluateVariablesTask : IStageTask
{
    public string Name => "evaluateVariablesTask";

    public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var outputs = new JsonObject();
        if (context.Stage.Context["variables"] is JsonArray variables)
        {
            foreach (var variable in variables)
            {
                if (ContextValues.String(variable?["key"]) is not { Length: > 0 } key)
                {
                    return ValueTask.FromResult(TaskResult.Terminal("Every variable needs a non-empty 'key'."));
                }
                outputs[key] = variable!["value"]?.DeepClone();
            }
        }
        return ValueTask.FromResult(TaskResult.Succeeded(outputs: outputs));
    }
}
