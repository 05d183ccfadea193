using System.Text.Json.Nodes;
using Delivery.Orchestrator.Expressions;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// Evaluates stage expressions against what Spinnaker users expect to see: <c>execution</c>,
/// <c>trigger</c>, <c>parameters</c>, the outputs of upstream stages and the stage's own context.
/// </summary>
public sealed class StageExpressions(ExpressionEvaluator evaluator, IOptions<OrchestratorOptions> options) : IStageExpressions
{
    private const string EvaluateVariablesType = "evaluateVariables";

    /// <summary>
    /// Evaluates the stage's context in place, unless it sets <c>skipExpressionEvaluation: true</c> (Deck's option on
    /// manifest stages): then, as in Orca, its <c>${...}</c> text stays as written. <c>stageEnabled</c> is evaluated either way.
    /// </summary>
    public IReadOnlyList<ExpressionError> ProcessContext(PipelineExecution execution, StageExecution stage)
    {
        if (stage.Flag("skipExpressionEvaluation") || !ExpressionEvaluator.ContainsExpressions(stage.Context))
        {
            return [];
        }
        var root = ExpressionRoot.For(execution, stage);
        var o = options.Value;
        var budget = new ExpressionBudget(o.StageExpressionLimit, o.StageExpressionCharacters, TimeSpan.FromMilliseconds(o.StageExpressionMs));
        if (stage.Type == EvaluateVariablesType && stage.Context["variables"] is JsonArray variables)
        {
            return ProcessVariablesInOrder(stage, variables, root, budget);
        }
        var result = evaluator.ProcessTree(stage.Context, root, budget);
        if (result.Value is JsonObject evaluated)
        {
            stage.Context = evaluated;
        }
        return result.Errors;
    }

    /// <summary>
    /// As Orca's EvaluateVariablesStage does: each variable is evaluated in order and seen by the ones
    /// after it (<c>a=${1+1}</c>, <c>b=${a * 2}</c>); the rest of the context is evaluated as usual.
    /// </summary>
    private List<ExpressionError> ProcessVariablesInOrder(StageExecution stage, JsonArray variables, JsonObject root, ExpressionBudget budget)
    {
        var rest = new JsonObject();
        foreach (var (key, value) in stage.Context.Where(kv => kv.Key != "variables"))
        {
            rest[key] = value?.DeepClone();
        }
        var result = evaluator.ProcessTree(rest, root, budget);
        var errors = new List<ExpressionError>(result.Errors);
        var evaluatedVariables = new JsonArray();
        foreach (var variable in variables)
        {
            var evaluated = evaluator.ProcessTree(variable, root, budget);
            errors.AddRange(evaluated.Errors);
            evaluatedVariables.Add(evaluated.Value);
            if (evaluated.Value is JsonObject v && ContextValues.String(v["key"]) is { Length: > 0 } key)
            {
                root[key] = v["value"]?.DeepClone();
            }
        }
        var context = result.Value as JsonObject ?? rest;
        context["variables"] = evaluatedVariables;
        stage.Context = context;
        return errors;
    }

    public bool IsEnabled(PipelineExecution execution, StageExecution stage)
    {
        if (stage.Context["stageEnabled"] is not JsonObject enabled || enabled["expression"] is not { } expressionNode)
        {
            return true;
        }
        var expression = expressionNode is JsonValue v && v.TryGetValue(out string? s) ? s : expressionNode.ToJsonString();
        return evaluator.EvaluateCondition(expression, ExpressionRoot.For(execution, stage));
    }
}
