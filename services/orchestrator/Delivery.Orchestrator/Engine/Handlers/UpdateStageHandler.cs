using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Stages;
using Delivery.ServiceDefaults;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Engine.Views;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>
/// Spinnaker's <c>PATCH /pipelines/{id}/stages/{stageId}</c>: merges user input (a judgment,
/// <c>skipRemainingWait</c>) into a running stage's context, and runs its task at once so it reacts
/// without waiting for a poll. Only the fields the stage type names (<see cref="IStageDefinition.UpdatableFields"/>) are taken.
/// </summary>
public sealed class UpdateStageHandler(StageDefinitionRegistry stages) : IEngineHandler<UpdateStage>
{

    public ValueTask HandleAsync(UpdateStage message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.FindStage(message.StageId) is not { } stage)
        {
            frame.Response = EngineResponses.StageNotFound(execution, message.StageId);
            return ValueTask.CompletedTask;
        }
        if (stage.Status is not (ExecutionStatus.Running or ExecutionStatus.Paused))
        {
            frame.Response = EngineResponses.Conflict($"Stage '{stage.Name}' is {stage.Status.ToWire()}: only a running stage takes input.");
            return ValueTask.CompletedTask;
        }
        var (patch, error) = StrictJson.ParseObject(message.ContextJson, "The stage update");
        if (patch is null)
        {
            frame.Response = ApiReply.Invalid(error!);
            return ValueTask.CompletedTask;
        }
        var definition = stages.Find(stage.Type);
        var allowed = definition?.UpdatableFields ?? System.Collections.Frozen.FrozenSet<string>.Empty;
        if (patch.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList() is { Count: > 0 } refused)
        {
            frame.Response = ApiReply.Invalid(allowed.Count == 0
                ? $"A '{stage.Type}' stage takes no input; refused: {string.Join(", ", refused)}."
                : $"A '{stage.Type}' stage takes only {string.Join(", ", allowed.Order(StringComparer.Ordinal))}; refused: {string.Join(", ", refused)}.");
            return ValueTask.CompletedTask;
        }
        if (patch.Select(p => WrongKind(p.Key, p.Value)).OfType<string>().FirstOrDefault() is { } wrong)
        {
            frame.Response = ApiReply.Invalid(wrong);
            return ValueTask.CompletedTask;
        }
        if (definition?.ValidateUpdate(stage.View(), patch) is { } problem)
        {
            frame.Response = ApiReply.Invalid(problem);
            return ValueTask.CompletedTask;
        }
        foreach (var (key, value) in patch)
        {
            stage.Context[key] = value?.DeepClone();
        }
        var user = message.User ?? "anonymous";
        stage.Context["lastModifiedBy"] = user;
        stage.Context["lastModified"] = new JsonObject { ["user"] = user, ["lastModifiedTime"] = frame.Now };
        frame.MarkChanged();
        ExecutionEvents.StageUpdated(frame, stage, patch, user);
        foreach (var task in stage.Tasks.Where(t => t.Status == ExecutionStatus.Running))
        {
            frame.Continue(new RunTask(execution.Id, stage.Id, task.Id));
        }
        frame.RespondWithExecution = true;
        return ValueTask.CompletedTask;
    }

    /// <summary>Why a field's value has the wrong JSON kind (a flag that is not a boolean, a text that is not a string); null when right.</summary>
    private static string? WrongKind(string field, JsonNode? value) => field switch
    {
        "skipRemainingWait" when value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False) =>
            $"'skipRemainingWait' must be true or false, not {value?.ToJsonString() ?? "null"}.",
        "judgmentInput" or "lastModifiedBy" when value is not null && value.GetValueKind() != JsonValueKind.String =>
            $"'{field}' must be a string, not {value.ToJsonString()}.",
        _ => null,
    };
}
