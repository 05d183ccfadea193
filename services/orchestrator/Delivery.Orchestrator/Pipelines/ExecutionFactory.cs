using System.Text.Json.Nodes;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks;

namespace Delivery.Orchestrator.Pipelines;

/// <summary>Builds an execution from a saved pipeline config and a trigger, resolving the pipeline's parameters.</summary>
public sealed class ExecutionFactory(TimeProvider time)
{
    private static readonly HashSet<string> StageFields = ["refId", "type", "name", "requisiteStageRefIds", "id"];

    /// <summary>Returns the execution, or the problem with the trigger (a missing required parameter, a value not among the options).</summary>
    /// <param name="id">The execution id (derived from the triggering request, so that a redelivered request maps to the same execution).</param>
    /// <param name="type">The execution's type (<see cref="ExecutionTypes"/>).</param>
    public (PipelineExecution? Execution, string? Problem) Create(JsonObject config, JsonObject trigger, string id, string type = ExecutionTypes.Pipeline)
    {
        trigger["type"] ??= "manual";
        trigger["user"] ??= "anonymous";
        if (trigger["parameters"] is not JsonObject parameters)
        {
            if (trigger["parameters"] is not null)
            {
                return (null, "trigger.parameters must be an object.");
            }
            parameters = [];
            trigger["parameters"] = parameters;
        }
        if (ResolveParameters(config, parameters) is { } problem)
        {
            return (null, problem);
        }
        var execution = new PipelineExecution
        {
            Id = id,
            Type = type,
            Application = config["application"]!.GetValue<string>(),
            Name = config["name"]!.GetValue<string>(),
            PipelineConfigId = PipelineValidator.Scalar(config["id"]),
            BuildTime = time.NowMs(),
            LimitConcurrent = Flag(config, "limitConcurrent"),
            KeepWaitingPipelines = Flag(config, "keepWaitingPipelines"),
            Trigger = trigger,
        };
        foreach (var node in config["stages"]?.AsArray() ?? [])
        {
            var stage = node!.AsObject();
            var context = new JsonObject();
            foreach (var (key, value) in stage.Where(kv => !StageFields.Contains(kv.Key)))
            {
                context[key] = value?.DeepClone();
            }
            execution.Stages.Add(new StageExecution
            {
                Id = Ids.NewUlid(),
                RefId = stage["refId"]!.GetValue<string>(),
                Type = stage["type"]!.GetValue<string>(),
                Name = ContextValues.String(stage["name"]) ?? stage["type"]!.GetValue<string>(),
                Context = context,
                RequisiteStageRefIds = [.. stage["requisiteStageRefIds"]!.AsArray().Select(r => r!.GetValue<string>())],
            });
        }
        return (execution, null);
    }

    /// <summary>
    /// Applies <c>parameterConfig</c> to the trigger's parameters as Orca does: every configured parameter is
    /// present, with the value given (an explicit <c>""</c> is kept) or else its default (even <c>""</c>, as
    /// Deck writes it); then required ones must have a value and ones with options one of them. Tolerates
    /// configs saved before the validator normalized them (plain-value options, entries that are not objects).
    /// </summary>
    private static string? ResolveParameters(JsonObject config, JsonObject parameters)
    {
        foreach (var p in config["parameterConfig"] as JsonArray ?? [])
        {
            if (p is not JsonObject parameter || ContextValues.String(parameter["name"]) is not { Length: > 0 } name)
            {
                continue;
            }
            var value = parameters[name];
            if (value is null)
            {
                value = parameter["default"]?.DeepClone();
                parameters[name] = value;
            }
            if (IsEmpty(value) && Flag(parameter, "required"))
            {
                return $"Missing required parameter '{name}'.";
            }
            if (!IsEmpty(value) && Flag(parameter, "hasOptions") && parameter["options"] is JsonArray { Count: > 0 } options)
            {
                var allowed = options.Select(o => ContextValues.String(o is JsonObject choice ? choice["value"] : o)).ToList();
                if (!allowed.Contains(ContextValues.String(value)))
                {
                    return $"Parameter '{name}' must be one of {string.Join(", ", allowed)}, not '{ContextValues.String(value) ?? value!.ToJsonString()}'.";
                }
            }
        }
        return null;
    }

    private static bool IsEmpty(JsonNode? value) => value is null || (value is JsonValue v && v.TryGetValue(out string? s) && s.Length == 0);

    private static bool Flag(JsonObject config, string key) => config[key] is JsonValue v && v.TryGetValue(out bool b) && b;
}
