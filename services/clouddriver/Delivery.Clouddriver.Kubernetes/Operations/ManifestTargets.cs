using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Delivery.Clouddriver.Kubernetes.Api;
using Delivery.Clouddriver.Kubernetes.Manifests;
using Delivery.Clouddriver.Operations;

namespace Delivery.Clouddriver.Kubernetes.Operations;

/// <summary>
/// Manifests chosen other than by name. A dynamic target (Clouddriver's ManifestController dynamic lookup, which Orca's
/// manifest stages use with <c>mode: dynamic</c>): among the objects of <c>kind</c> (else the cluster's kind) in the namespace
/// whose <c>moniker.spinnaker.io/cluster</c> is <c>cluster</c> (and application <c>app</c> when given), the one
/// <c>criteria</c> picks: <c>newest</c>, <c>second_newest</c>, <c>oldest</c> (by creation time, then sequence), <c>largest</c>,
/// <c>smallest</c> (by <c>spec.replicas</c>). A label target (<c>mode: label</c>, deleteManifest only): every object of
/// <c>kinds</c> matching <c>labelSelectors.selectors</c> (Clouddriver's KubernetesSelector: EQUALS, NOT_EQUALS, CONTAINS,
/// NOT_CONTAINS, EXISTS, NOT_EXISTS).
/// </summary>
public static partial class ManifestTargets
{
    /// <summary>Most objects one label delete may remove.</summary>
    public const int MaxLabelDeletes = 500;

    /// <summary>The <c>{kind} {name}</c> a dynamic target resolves to; not-found when the cluster has no such object.</summary>
    public static async Task<string> ResolveAsync(KubeApi api, string ns, JsonObject args, CancellationToken cancellationToken)
    {
        var cluster = Text(args, "cluster");
        var criteria = Text(args, "criteria");
        var kindName = args["kind"]?.GetValue<string>() is { Length: > 0 } k ? k : cluster.Split(' ', 2)[0];
        var (apiVersion, kindValue) = ManifestNames.Kind(kindName);
        var kind = await api.ResolveAsync(apiVersion, kindValue, cancellationToken);
        var app = args["app"]?.GetValue<string>();
        var candidates = (await api.ListAsync(kind, kind.Namespaced ? ns : null, null, cancellationToken)).Items
            .Where(i => SpinnakerMetadata.Annotation(i, SpinnakerMetadata.Cluster) == cluster
                && (string.IsNullOrEmpty(app) || SpinnakerMetadata.Annotation(i, SpinnakerMetadata.Application) == app))
            .OrderBy(i => DateTimeOffset.TryParse(i["metadata"]?["creationTimestamp"]?.GetValue<string>(), out var t) ? t : DateTimeOffset.MinValue)
            .ThenBy(i => int.TryParse(SpinnakerMetadata.Annotation(i, SpinnakerMetadata.Sequence), out var s) ? s : -1)
            .ToList();
        static long Replicas(JsonObject i) => i["spec"]?["replicas"] is { } r ? long.Parse(r.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : 1;
        var chosen = criteria switch
        {
            "newest" => candidates.LastOrDefault(),
            "second_newest" => candidates.Count >= 2 ? candidates[^2] : null,
            "oldest" => candidates.FirstOrDefault(),
            "largest" => candidates.OrderByDescending(Replicas).FirstOrDefault(),
            "smallest" => candidates.OrderBy(Replicas).FirstOrDefault(),
            _ => throw OperationException.Invalid($"Unknown criteria '{criteria}'; known: newest, second_newest, oldest, largest, smallest."),
        };
        return chosen is null
            ? throw OperationException.NotFound($"Cluster '{cluster}' has no {criteria} {kindName} in namespace {ns} ({candidates.Count} found).")
            : $"{SpinnakerMetadata.KindName(kind.Kind)} {SpinnakerMetadata.Name(chosen)}";
    }

    /// <summary>Deletes every object of the given kinds the selectors match; the result names them.</summary>
    public static async Task<JsonObject> DeleteByLabelsAsync(KubeApi api, string ns, JsonObject args, string propagation, CancellationToken cancellationToken)
    {
        var selector = Selector(args["labelSelectors"]?["selectors"] as JsonArray);
        var kinds = args["kinds"] as JsonArray is { Count: > 0 } k
            ? k.Select(n => n?.GetValue<string>() ?? "").ToList()
            : throw OperationException.Invalid("kinds (the kinds to delete, e.g. [\"deployment\"]) is required with mode 'label'.");
        var deleted = new List<string>();
        foreach (var kindName in kinds)
        {
            var (apiVersion, kindValue) = ManifestNames.Kind(kindName);
            var kind = await api.ResolveAsync(apiVersion, kindValue, cancellationToken);
            var items = (await api.ListAsync(kind, kind.Namespaced ? ns : null, selector, cancellationToken)).Items;
            if (deleted.Count + items.Count > MaxLabelDeletes)
            {
                throw OperationException.Invalid($"The label selector '{selector}' matches more than {MaxLabelDeletes} objects; narrow it.");
            }
            foreach (var item in items)
            {
                await api.DeleteAsync(kind, kind.Namespaced ? ns : null, SpinnakerMetadata.Name(item), propagation, cancellationToken);
                deleted.Add($"{SpinnakerMetadata.KindName(kind.Kind)} {SpinnakerMetadata.Name(item)}");
            }
        }
        return Deleted(ns, deleted);
    }

    /// <summary>A delete's result: <c>deleted</c> and Spinnaker's <c>manifestNamesByNamespace</c>.</summary>
    public static JsonObject Deleted(string ns, IReadOnlyList<string> names) => new()
    {
        ["deleted"] = new JsonArray([.. names.Select(n => (JsonNode)n)]),
        ["manifestNamesByNamespace"] = new JsonObject { [ns] = new JsonArray([.. names.Select(n => (JsonNode)n)]) },
    };

    /// <summary>A Kubernetes label selector from Spinnaker's selector list; at least one selector is required.</summary>
    public static string Selector(JsonArray? selectors)
    {
        if (selectors is not { Count: > 0 })
        {
            throw OperationException.Invalid("labelSelectors.selectors must hold at least one selector ({kind, key, values}).");
        }
        var terms = new List<string>();
        foreach (var s in selectors.OfType<JsonObject>())
        {
            var key = s["key"]?.GetValue<string>() ?? "";
            var values = s["values"]?.AsArray().Select(v => v?.ToString() ?? "").ToList() ?? [];
            if (!LabelKey().IsMatch(key) || values.Any(v => !LabelValue().IsMatch(v)))
            {
                throw OperationException.Invalid($"Selector key '{key}' or its values are not valid label keys/values.");
            }
            var kind = s["kind"]?.GetValue<string>() ?? "EQUALS";
            terms.Add(kind switch
            {
                "EQUALS" when values.Count == 1 => $"{key}={values[0]}",
                "NOT_EQUALS" when values.Count == 1 => $"{key}!={values[0]}",
                "CONTAINS" when values.Count > 0 => $"{key} in ({string.Join(',', values)})",
                "NOT_CONTAINS" when values.Count > 0 => $"{key} notin ({string.Join(',', values)})",
                "EXISTS" => key,
                "NOT_EXISTS" => $"!{key}",
                _ => throw OperationException.Invalid($"Selector kind '{kind}' with {values.Count} value(s) is not supported; known: EQUALS and NOT_EQUALS (one value), CONTAINS and NOT_CONTAINS (values), EXISTS and NOT_EXISTS."),
            });
        }
        return string.Join(',', terms);
    }

    private static string Text(JsonObject args, string key) =>
        args[key]?.GetValue<string>() is { Length: > 0 } value ? value : throw OperationException.Invalid($"{key} is required with mode 'dynamic'.");

    [GeneratedRegex("^([a-z0-9A-Z.-]{1,253}/)?[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex("^([a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?)?$")]
    private static partial Regex LabelValue();
}
