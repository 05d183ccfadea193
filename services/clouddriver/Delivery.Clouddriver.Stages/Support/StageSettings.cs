using System.Text.Json.Nodes;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Support;

/// <summary>Reads the fields Orca's cloud stages share (<c>credentials</c>, <c>cluster</c>, <c>moniker</c>, <c>capacity</c> ...) from a stage context.</summary>
internal static class StageSettings
{
    /// <summary>The account: Orca's <c>credentials</c>, or <c>account</c> as deploy clusters name it.</summary>
    public static string Account(JsonObject context) =>
        Text(context, "credentials") ?? Text(context, "account") ?? throw new StageInputException("credentials (the account) is required.");

    public static string? Text(JsonObject context, string key) => ContextValues.String(context[key]) is { Length: > 0 } s ? s : null;

    /// <summary>The cluster: <c>cluster</c>, <c>moniker.cluster</c>, or built from application, stack and freeFormDetails (Frigga).</summary>
    public static string Cluster(JsonObject context)
    {
        if ((Text(context, "cluster") ?? (context["moniker"] is JsonObject m ? Text(m, "cluster") : null)) is { } cluster)
        {
            return cluster;
        }
        var application = Text(context, "application") ?? throw new StageInputException("cluster (or application) is required.");
        var stack = Text(context, "stack") ?? "";
        var detail = Text(context, "freeFormDetails") ?? "";
        return detail.Length > 0 ? $"{application}-{stack}-{detail}" : stack.Length > 0 ? $"{application}-{stack}" : application;
    }

    /// <summary>The application of a cluster: <c>application</c>, <c>moniker.app</c> or the cluster's first Frigga part.</summary>
    public static string Application(JsonObject context, string cluster) =>
        Text(context, "application") ?? (context["moniker"] is JsonObject m ? Text(m, "app") : null) ?? cluster.Split('-')[0];

    /// <summary>A whole number setting, or <paramref name="fallback"/> when absent.</summary>
    public static int Int(JsonObject context, string key, int fallback) =>
        context[key] is null ? fallback
        : ContextValues.Number(context[key]) is { } d && d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue ? (int)d
        : throw new StageInputException($"{key} must be a whole number, not {context[key]!.ToJsonString()}.");

    /// <summary>A boolean setting, or <paramref name="fallback"/> when absent.</summary>
    public static bool Bool(JsonObject context, string key, bool fallback) =>
        context[key] is null ? fallback : ContextValues.Flag(context[key]);

    /// <summary><c>capacity {min, max, desired}</c>; clouddriver checks the rules between them (0 &lt;= min &lt;= desired &lt;= max).</summary>
    public static ServerGroupCapacity Capacity(JsonObject context)
    {
        if (context["capacity"] is not JsonObject capacity)
        {
            throw new StageInputException("capacity {min, max, desired} is required.");
        }
        var desired = Int(capacity, "desired", Int(capacity, "min", 0));
        return new ServerGroupCapacity(Int(capacity, "min", desired), Int(capacity, "max", desired), desired);
    }

    /// <summary>A list of strings (<c>loadBalancers</c>, <c>instanceIds</c>); null when absent.</summary>
    public static IReadOnlyList<string>? Strings(JsonObject context, string key) => context[key] switch
    {
        null => null,
        JsonArray a => [.. a.Select(n => ContextValues.String(n) ?? throw new StageInputException($"{key} must be a list of strings."))],
        _ => throw new StageInputException($"{key} must be a list of strings."),
    };

    /// <summary><c>env</c>: an object of strings; null when absent.</summary>
    public static Dictionary<string, string>? Env(JsonObject context) => context["env"] switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ContextValues.String(p.Value) ?? "", StringComparer.Ordinal),
        _ => throw new StageInputException("env must be an object of strings."),
    };

    /// <summary>The cluster of a server group name (Frigga): the name without its <c>-vNNN</c> sequence.</summary>
    public static string ClusterOf(string serverGroup)
    {
        var versionAt = serverGroup.LastIndexOf("-v", StringComparison.Ordinal);
        return versionAt > 0 ? serverGroup[..versionAt] : serverGroup;
    }

    /// <summary><c>strategy</c>, one of <see cref="Stages.CreateServerGroupStage.Strategies"/> ("" when absent).</summary>
    public static string Strategy(JsonObject context)
    {
        var strategy = Text(context, "strategy") ?? "";
        return Stages.CreateServerGroupStage.Strategies.Contains(strategy)
            ? strategy
            : throw new StageInputException($"Unknown strategy '{strategy}'; use highlander, redblack, rollingredblack or none.");
    }

    /// <summary>The server group a stage names explicitly: <c>serverGroupName</c> or Orca's older <c>asgName</c>.</summary>
    public static string? ServerGroupName(JsonObject context) => Text(context, "serverGroupName") ?? Text(context, "asgName");
}
