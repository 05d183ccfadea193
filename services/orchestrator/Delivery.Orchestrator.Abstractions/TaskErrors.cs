using System.Text.Json.Nodes;
using Delivery.Contracts;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>
/// Failures a task reports with a status other than TERMINAL (STOPPED, CANCELED): the engine records
/// the error of a TERMINAL result itself, so these carry the stage's <c>exception</c> in their context.
/// </summary>
public static class TaskErrors
{
    /// <summary>The stage's <c>exception</c> entry, in the shape the engine records errors in.</summary>
    public static JsonObject Exception(IReadOnlyList<string> errors) => new()
    {
        ["details"] = new JsonObject
        {
            ["error"] = errors[0],
            ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)JsonValue.Create(e))]),
        },
    };

    /// <summary>A failed result: TERMINAL leaves the error to the engine; any other status records it in the context.</summary>
    public static TaskResult Fail(ExecutionStatus status, IReadOnlyList<string> errors, JsonObject? context = null, JsonObject? outputs = null)
    {
        if (status == ExecutionStatus.Terminal)
        {
            return new TaskResult(status, context, outputs, Error: string.Join(" ", errors));
        }
        context ??= [];
        context["exception"] = Exception(errors);
        return new TaskResult(status, context, outputs);
    }
}
