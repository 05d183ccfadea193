using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Api;
using Delivery.Orchestrator.Stages;
using Delivery.Orchestrator.Tasks;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Pipelines;

/// <summary>
/// Checks a pipeline config before it is saved, and normalizes it (the application in lower case,
/// refIds as strings, a name for every stage, <c>{"value": ...}</c> objects for parameter options
/// and judgment inputs). Every problem names the stage, trigger or field at fault, in its sentence and by its JSON path
/// (<see cref="PipelineProblems"/>).
/// </summary>
public sealed class PipelineValidator(StageDefinitionRegistry stages, IOptions<OrchestratorOptions> options, TimeProvider time)
{
    public const int MaxStages = 500;

    /// <summary>The problems' sentences (see <see cref="Check"/>); empty when the config is valid.</summary>
    public IReadOnlyList<string> Validate(JsonObject config) => Check(config).Sentences;

    /// <summary>
    /// Checks and normalizes <paramref name="config"/>; the problems say what is wrong and where.
    /// <paramref name="pipelineId"/> is the id the config will be saved under when the caller knows it (an existing
    /// pipeline's); otherwise the config's own <c>id</c>, if any, is taken for the self-trigger check.
    /// </summary>
    public PipelineProblems Check(JsonObject config, string? pipelineId = null)
    {
        var errors = new PipelineProblems();
        if (RequireString(config, "application", errors) is { } application)
        {
            application = application.ToLowerInvariant();
            config["application"] = application;
            if (!ApplicationNames.IsValid(application))
            {
                errors.Add("application", $"'application' must be a valid application name ({ApplicationNames.Rule}), not '{application}'.");
            }
        }
        if (RequireString(config, "name", errors) is { } name && PipelineNames.Problem(name) is { } nameProblem)
        {
            errors.Add("name", $"'name': {nameProblem}.");
        }
        ValidateParameters(config, errors);
        TriggerChecks.Check(config, pipelineId ?? Scalar(config["id"]), TimeSpan.FromSeconds(options.Value.MinCronIntervalSeconds), time.GetUtcNow(), errors);
        if (config["stages"] is null)
        {
            config["stages"] = new JsonArray();
        }
        if (config["stages"] is not JsonArray list)
        {
            errors.Add("stages", "'stages' must be an array.");
            return errors;
        }
        if (list.Count > MaxStages)
        {
            errors.Add("stages", $"A pipeline may have at most {MaxStages} stages, this one has {list.Count}.");
            return errors;
        }
        var refIds = new Dictionary<string, string>();
        var indexes = new Dictionary<string, int>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject stage)
            {
                errors.Add($"stages[{i}]", $"stages[{i}] must be an object.");
                continue;
            }
            var refId = Scalar(stage["refId"]) ?? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            stage["refId"] = refId;
            var type = Scalar(stage["type"]);
            var path = $"stages[{i}]";
            var label = $"stages[{i}] (refId '{refId}'{(Scalar(stage["name"]) is { } n ? $", name '{n}'" : "")})";
            if (string.IsNullOrWhiteSpace(type))
            {
                errors.Add($"{path}.type", "'type' is required.", label);
            }
            else if (stages.Find(type) is null)
            {
                errors.Add($"{path}.type", $"unknown stage type '{type}'. Known types: {string.Join(", ", stages.Types.Order())}.", label);
            }
            stage["name"] ??= type;
            if (type == "manualJudgment")
            {
                NormalizeChoices(stage, path, "judgmentInputs", label, errors);
            }
            StageFieldChecks.Check(stage, type, path, label, errors);
            if (refIds.TryAdd(refId, label))
            {
                indexes[refId] = i;
            }
            else
            {
                errors.Add($"{path}.refId", $"duplicate refId '{refId}' (also used by {refIds[refId]}).", label);
            }
            var requisitesPath = $"{path}.requisiteStageRefIds";
            switch (stage["requisiteStageRefIds"])
            {
                case null:
                    stage["requisiteStageRefIds"] = new JsonArray();
                    break;
                case JsonArray requisites when requisites.Count > MaxStages:
                    errors.Add(requisitesPath, $"'requisiteStageRefIds' names {requisites.Count} stages; a pipeline has at most {MaxStages}.", label);
                    stage["requisiteStageRefIds"] = new JsonArray();
                    break;
                case JsonArray requisites:
                    var normalized = new JsonArray();
                    for (var j = 0; j < requisites.Count; j++)
                    {
                        var r = requisites[j];
                        if (Scalar(r) is { } id)
                        {
                            if (!normalized.Any(n => n!.GetValue<string>() == id))
                            {
                                normalized.Add(id);
                            }
                        }
                        else
                        {
                            errors.Add($"{requisitesPath}[{j}]", $"requisiteStageRefIds must hold refIds (strings), not {r?.ToJsonString() ?? "null"}.", label);
                        }
                    }
                    stage["requisiteStageRefIds"] = normalized;
                    break;
                default:
                    errors.Add(requisitesPath, "'requisiteStageRefIds' must be an array.", label);
                    stage["requisiteStageRefIds"] = new JsonArray();
                    break;
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        var graph = list.Cast<JsonObject>().ToDictionary(
            s => s["refId"]!.GetValue<string>(),
            s => s["requisiteStageRefIds"]!.AsArray().Select(r => r!.GetValue<string>()).ToList());
        foreach (var (refId, requisites) in graph)
        {
            foreach (var missing in requisites.Where(r => !graph.ContainsKey(r)))
            {
                errors.Add($"stages[{indexes[refId]}].requisiteStageRefIds", $"requisiteStageRefIds names '{missing}', which no stage has.", refIds[refId]);
            }
        }
        if (errors.Count == 0 && FindCycle(graph) is { } cycle)
        {
            errors.Add(cycle.Distinct().Select(r => $"stages[{indexes[r]}].requisiteStageRefIds"),
                $"The stages form a cycle: {string.Join(" -> ", cycle.Select(r => refIds[r]))}.");
        }
        return errors;
    }

    /// <summary>The field's value when it is a non-blank JSON string; otherwise records the problem and returns null.</summary>
    private static string? RequireString(JsonObject config, string field, PipelineProblems errors)
    {
        if (config[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { } s && !string.IsNullOrWhiteSpace(s))
        {
            return s;
        }
        errors.Add(field, config[field] is null
            ? $"'{field}' is required and must be a non-empty string."
            : $"'{field}' must be a non-empty string, not {config[field]!.ToJsonString()}.");
        return null;
    }

    /// <summary>
    /// <c>parameterConfig</c>: an array of objects, each with a non-empty string <c>name</c>, and
    /// <c>options</c> (when given) an array of values.
    /// </summary>
    private static void ValidateParameters(JsonObject config, PipelineProblems errors)
    {
        switch (config["parameterConfig"])
        {
            case null:
                return;
            case JsonArray parameters:
                for (var i = 0; i < parameters.Count; i++)
                {
                    if (parameters[i] is not JsonObject parameter)
                    {
                        errors.Add($"parameterConfig[{i}]", $"parameterConfig[{i}] must be an object such as {{\"name\":\"env\",\"default\":\"dev\"}}, not {parameters[i]?.ToJsonString() ?? "null"}.");
                        continue;
                    }
                    if (parameter["name"] is not JsonValue n || n.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(n.GetValue<string>()))
                    {
                        errors.Add($"parameterConfig[{i}].name", "'name' is required and must be a non-empty string.", $"parameterConfig[{i}]");
                        continue;
                    }
                    NormalizeChoices(parameter, $"parameterConfig[{i}]", "options", $"parameterConfig[{i}] (parameter '{n.GetValue<string>()}')", errors);
                }
                return;
            default:
                errors.Add("parameterConfig", "'parameterConfig' must be an array of parameters such as [{\"name\":\"env\",\"default\":\"dev\"}].");
                return;
        }
    }

    /// <summary>
    /// A list of choices (parameter <c>options</c>, <c>judgmentInputs</c>) in Spinnaker's shape,
    /// <c>[{"value": "a"}]</c>; plain values are turned into that shape. A string (an expression) is left alone.
    /// </summary>
    private static void NormalizeChoices(JsonObject owner, string ownerPath, string field, string label, PipelineProblems errors)
    {
        if (owner[field] is not JsonArray choices)
        {
            if (owner[field] is JsonObject)
            {
                errors.Add($"{ownerPath}.{field}", $"'{field}' must be an array such as [{{\"value\":\"a\"}}].", label);
            }
            return;
        }
        for (var i = 0; i < choices.Count; i++)
        {
            if (Scalar(choices[i]) is { } plain)
            {
                choices[i] = new JsonObject { ["value"] = plain };
            }
            else if (choices[i] is not JsonObject choice || (choice["value"] is not null && Scalar(choice["value"]) is null))
            {
                errors.Add($"{ownerPath}.{field}[{i}]", $"{field}[{i}] must be a string or an object with a string 'value', not {choices[i]?.ToJsonString() ?? "null"}.", label);
            }
        }
    }

    /// <summary>A string or number as a string; null for anything else.</summary>
    public static string? Scalar(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        }
        : null;

    /// <summary>Depth-first search over requisite edges; returns the refIds of one cycle, if any.</summary>
    private static List<string>? FindCycle(Dictionary<string, List<string>> graph)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        foreach (var start in graph.Keys)
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }
        return null;

        List<string>? Visit(string node)
        {
            switch (state.GetValueOrDefault(node))
            {
                case 2:
                    return null;
                case 1:
                    return [.. path.Skip(path.IndexOf(node)), node];
            }
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph[node])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }
}
