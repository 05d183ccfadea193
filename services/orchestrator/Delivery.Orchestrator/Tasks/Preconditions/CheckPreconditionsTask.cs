using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Orchestrator.Expressions;

namespace Delivery.Orchestrator.Tasks.Preconditions;

/// <summary>
/// Checks a <c>checkPreconditions</c> stage's <c>preconditions</c>, all of them, and reports each in the
/// context (<c>preconditionResults</c>). A failing precondition fails the stage naming it: TERMINAL (then
/// the stage's own <c>failPipeline</c>/<c>continuePipeline</c> apply, as for any failure), or STOPPED when
/// every failing precondition has <c>failPipeline: false</c> (FAILED_CONTINUE with <c>continuePipeline</c>).
/// </summary>
public sealed class CheckPreconditionsTask(ExpressionEvaluator evaluator) : IStageTask
{
    public string Name => "checkPreconditionsTask";

    public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var stage = context.Stage;
        var node = stage.Context["preconditions"];
        if (node is not (null or JsonArray))
        {
            return ValueTask.FromResult(TaskResult.Terminal("'preconditions' must be a list of {type, context, failPipeline}."));
        }
        var preconditions = node as JsonArray ?? [];
        var results = new JsonArray();
        var errors = new List<string>();
        var failsPipeline = false;
        JsonObject? root = null;
        for (var i = 0; i < preconditions.Count; i++)
        {
            var precondition = preconditions[i] as JsonObject;
            var type = ContextValues.String(precondition?["type"]);
            var label = $"Precondition {i + 1} ({type ?? "no type"})";
            var failPipeline = ContextValues.FlagDefaultTrue(precondition?["failPipeline"]);
            var settings = precondition?["context"] as JsonObject ?? [];
            var problem = type switch
            {
                _ when precondition is null => "must be an object with 'type' and 'context'",
                "expression" => CheckExpression(settings, () => root ??= context.ExpressionRoot()),
                "stageStatus" => CheckStageStatus(settings, context.Execution, stage),
                _ => $"has unknown type '{type}' (supported: expression, stageStatus)",
            };
            results.Add(new JsonObject
            {
                ["type"] = type,
                ["passed"] = problem is null,
                ["failPipeline"] = failPipeline,
                ["message"] = problem,
            });
            if (problem is not null)
            {
                errors.Add($"{label} failed: {problem}");
                failsPipeline |= failPipeline;
            }
        }

        var outcome = new JsonObject { ["preconditionResults"] = results };
        if (errors.Count == 0)
        {
            return ValueTask.FromResult(TaskResult.Succeeded(outcome));
        }
        var status = failsPipeline
            ? ExecutionStatus.Terminal
            : stage.Flag("continuePipeline") ? ExecutionStatus.FailedContinue : ExecutionStatus.Stopped;
        return ValueTask.FromResult(TaskErrors.Fail(status, errors, outcome));
    }

    /// <summary>
    /// The expression was evaluated when the stage started, so a <c>${...}</c> arrives as its value (a boolean);
    /// "true"/"false" and a bare expression (without <c>${ }</c>) are accepted too and evaluated now.
    /// </summary>
    private string? CheckExpression(JsonObject settings, Func<JsonObject> root)
    {
        var failure = ContextValues.String(settings["failureMessage"]) is { Length: > 0 } message ? $" ({message})" : "";
        switch (settings["expression"])
        {
            case null:
                return "has no context.expression";
            case JsonValue v when v.TryGetValue(out bool passed):
                return passed ? null : $"expression evaluated to false{failure}";
            case JsonValue v when v.TryGetValue(out string? text) && text.Trim().Length > 0:
                var trimmed = text.Trim();
                if (bool.TryParse(trimmed, out var literal))
                {
                    return literal ? null : $"expression evaluated to false{failure}";
                }
                try
                {
                    return evaluator.EvaluateCondition(trimmed, root()) ? null : $"expression '{trimmed}' evaluated to false{failure}";
                }
                catch (ExpressionException e)
                {
                    return e.Message;
                }
            case var other:
                return $"expression must be a boolean or an expression, not {other.ToJsonString()}";
        }
    }

    private static string? CheckStageStatus(JsonObject settings, IExecutionView execution, IStageView self)
    {
        var name = ContextValues.String(settings["stageName"]);
        var expected = ContextValues.String(settings["stageStatus"]);
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(expected))
        {
            return "needs context.stageName and context.stageStatus";
        }
        if (!ExecutionStatusExtensions.TryParseWire(expected, out var wanted))
        {
            return $"stageStatus '{expected}' is not a status (e.g. SUCCEEDED, FAILED_CONTINUE, SKIPPED)";
        }
        var found = execution.Stages.Where(s => s.Name == name && s.Id != self.Id).ToList();
        if (found.Count == 0)
        {
            return $"no stage named '{name}' in this execution";
        }
        var actual = found.FirstOrDefault(s => s.Status == wanted) ?? found[0];
        return actual.Status == wanted
            ? null
            : $"the status of stage '{name}' is {actual.Status.ToWire()}, expected {wanted.ToWire()}";
    }
}
