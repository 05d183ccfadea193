using System.Text.Json.Nodes;
using Delivery.Orchestrator.Expressions;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks;

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
        var result = evaluator.ProcessTree(stage.Context, ExpressionRoot.For(execution, stage));
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
            return evaluator.EvaluateCondition(expression, ExpressionRoot.For(execution, stage));
        }
        catch (ExpressionException e)
        {
            throw new InvalidOperationException($"stageEnabled expression '{expression}' could not be evaluated: {e.Message}", e);
        }
    }
}
