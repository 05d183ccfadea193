using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>
/// Spinnaker's helper functions (<c>#name(args)</c>). Only these exist; none of them touch files, the network,
/// the environment or the type system.
/// </summary>
internal static class Functions
{
    private const string ManualJudgmentType = "manualJudgment";
    private const string CurrentStageKey = "#currentStage";

    /// <summary>The arity of a function that takes any number of arguments.</summary>
    public const int Variadic = -1;

    /// <summary>Stage types whose outputs name the server groups they created (Orca's deploy stages).</summary>
    private static readonly HashSet<string> DeployStageTypes = ["createServerGroup", "cloneServerGroup"];

    private static readonly Dictionary<string, int> Arities = new(StringComparer.Ordinal)
    {
        ["stage"] = 1,
        ["stageByRefId"] = 1,
        ["stageExists"] = 1,
        ["judgment"] = 1,
        ["judgement"] = 1,
        ["currentStage"] = 0,
        ["toJson"] = 1,
        ["readJson"] = 1,
        ["toInt"] = 1,
        ["toFloat"] = 1,
        ["toBoolean"] = 1,
        ["alphanumerical"] = 1,
        ["toBase64"] = 1,
        ["fromBase64"] = 1,
        ["deployedServerGroups"] = Variadic,
    };

    public static bool TryGetArity(string name, out int arity) => Arities.TryGetValue(name, out arity);

    public static object? Invoke(string name, object?[] args, EvalContext ctx)
    {
        ctx.Tick();
        return name switch
        {
            "stage" => FindStage(ctx, "name", Text(name, args[0]))
                ?? throw new ExpressionFailure($"unable to locate stage '{Text(name, args[0])}' (#stage matches a stage name)"),
            "stageByRefId" => FindStage(ctx, "refId", Text(name, args[0]))
                ?? throw new ExpressionFailure($"unable to locate stage with refId '{Text(name, args[0])}'"),
            "stageExists" => FindStage(ctx, "name", Text(name, args[0])) is not null || FindStage(ctx, "id", Text(name, args[0])) is not null,
            "judgment" or "judgement" => Judgment(ctx, Text(name, args[0])),
            "currentStage" => Values.TryGetMember(ctx.Root, CurrentStageKey, out var current)
                ? current
                : throw new ExpressionFailure("#currentStage() is not available: the evaluation context has no current stage"),
            "toJson" => Values.ToJson(args[0], ctx),
            "readJson" => ReadJson(Text(name, args[0]), ctx),
            "toInt" => ToInt(args[0]),
            "toFloat" => ToFloat(args[0]),
            "toBoolean" => args[0] switch
            {
                null => false,
                bool b => b,
                string s => s.Equals("true", StringComparison.OrdinalIgnoreCase),
                _ => throw new ExpressionFailure($"#toBoolean needs a string, not {Values.Describe(args[0])}"),
            },
            "alphanumerical" => Alphanumerical(Text(name, args[0])),
            "toBase64" => ToBase64(Text(name, args[0]), ctx),
            "fromBase64" => FromBase64(Text(name, args[0])),
            "deployedServerGroups" => DeployedServerGroups(ctx, [.. args.Select(a => Text(name, a))]),
            _ => throw new ExpressionFailure($"unknown function '#{name}'"),
        };
    }

    private static string Text(string function, object? arg) => arg switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => throw new ExpressionFailure($"function '#{function}' needs a string argument, not {Values.Describe(arg)}"),
    };

    /// <summary>The stages of the execution: <c>execution.stages</c>, or <c>stages</c> when the root is the execution.</summary>
    private static object Stages(EvalContext ctx)
    {
        if (Values.TryGetMember(ctx.Root, "execution", out var execution) &&
            Values.TryGetMember(execution, "stages", out var stages) &&
            Values.IsList(stages))
        {
            return stages!;
        }

        if (Values.TryGetMember(ctx.Root, "stages", out stages) && Values.IsList(stages))
        {
            return stages!;
        }

        throw new ExpressionFailure("no execution stages are available (the root has no 'execution.stages')");
    }

    private static object? FindStage(EvalContext ctx, string field, string value)
    {
        foreach (var stage in Values.Items(Stages(ctx)))
        {
            ctx.Tick();
            if (Values.TryGetMember(stage, field, out var candidate) &&
                candidate is string or long &&
                string.Equals(Values.ToText(candidate, ctx), value, StringComparison.Ordinal))
            {
                return stage;
            }
        }

        return null;
    }

    private static object? Judgment(EvalContext ctx, string stageName)
    {
        foreach (var stage in Values.Items(Stages(ctx)))
        {
            ctx.Tick();
            if (Values.TryGetMember(stage, "name", out var name) && name is string n && n == stageName &&
                Values.TryGetMember(stage, "type", out var type) && type is ManualJudgmentType)
            {
                return Values.TryGetMember(stage, "context", out var context) &&
                       Values.TryGetMember(context, "judgmentInput", out var input)
                    ? input
                    : null;
            }
        }

        throw new ExpressionFailure($"unable to locate manual judgment stage '{stageName}'");
    }

    /// <summary>
    /// The server groups that succeeded deploy stages created, oldest stage first, as Orca's
    /// <c>DeployedServerGroupsExpressionFunctionProvider</c> lists them: <c>{account, capacity, parentStage,
    /// region, serverGroup, name}</c>. With arguments, only stages whose name or id is among them, or whose
    /// parent (the <c>deploy</c> stage that made them) is.
    /// </summary>
    private static List<object?> DeployedServerGroups(EvalContext ctx, string[] stageNamesOrIds)
    {
        var stages = Values.Items(Stages(ctx)).ToList();
        var result = new List<object?>();
        foreach (var stage in stages)
        {
            ctx.Tick();
            if (!(Member(stage, "type") is string type && DeployStageTypes.Contains(type) && Member(stage, "status") is "SUCCEEDED"))
            {
                continue;
            }
            var parentId = Member(stage, "parentStageId") as string;
            if (stageNamesOrIds.Length > 0 && !Named(stage, stageNamesOrIds)
                && !(parentId is not null && stages.FirstOrDefault(s => Member(s, "id") as string == parentId) is { } parent && Named(parent, stageNamesOrIds)))
            {
                continue;
            }
            var groups = Output(stage, "deploy.server.groups");
            if (groups is null || !Values.IsMap(groups))
            {
                continue;
            }
            foreach (var (region, names) in Values.Entries(groups))
            {
                if (!Values.IsList(names))
                {
                    continue;
                }
                foreach (var serverGroup in Values.Items(names!).OfType<string>())
                {
                    result.Add(new OrderedDictionary<string, object?>
                    {
                        ["account"] = Output(stage, "deploy.account.name") ?? Output(stage, "account") ?? Output(stage, "credentials"),
                        ["capacity"] = Output(stage, "capacity"),
                        ["parentStage"] = parentId,
                        ["region"] = region,
                        ["serverGroup"] = serverGroup,
                        ["name"] = Member(stage, "name"),
                    });
                }
            }
        }
        return result;
    }

    private static bool Named(object? stage, string[] namesOrIds) =>
        Member(stage, "name") is string name && namesOrIds.Contains(name) || Member(stage, "id") is string id && namesOrIds.Contains(id);

    /// <summary>A stage's output, else its context value of that key.</summary>
    private static object? Output(object? stage, string key) =>
        Member(Member(stage, "outputs"), key) ?? Member(Member(stage, "context"), key);

    private static object? Member(object? map, string key) => Values.TryGetMember(map, key, out var value) ? value : null;

    private static object? ReadJson(string json, EvalContext ctx)
    {
        try
        {
            var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = ctx.Limits.MaxDepth });
            return Values.FromNode(node);
        }
        catch (JsonException ex)
        {
            throw new ExpressionFailure($"#readJson was given invalid JSON: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new ExpressionFailure($"#readJson was given JSON that cannot be read: {ex.Message}", ex);
        }
    }

    private static long ToInt(object? value) => value switch
    {
        long l => l,
        double d when Math.Abs(d) < 9.2e18 => (long)d,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new ExpressionFailure($"#toInt cannot convert {Values.Describe(value)} to an integer"),
    };

    private static double ToFloat(object? value) => value switch
    {
        long l => l,
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) => parsed,
        _ => throw new ExpressionFailure($"#toFloat cannot convert {Values.Describe(value)} to a number"),
    };

    private static string Alphanumerical(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string ToBase64(string s, EvalContext ctx)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        ctx.CheckLength(((long)bytes.Length + 2) / 3 * 4, "the Base64 text");
        return Convert.ToBase64String(bytes);
    }

    private static string FromBase64(string s)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(s));
        }
        catch (FormatException ex)
        {
            throw new ExpressionFailure("#fromBase64 was given invalid Base64 text", ex);
        }
    }
}
