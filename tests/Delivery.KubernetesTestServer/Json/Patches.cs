using System.Text.Json.Nodes;

namespace Delivery.KubernetesTestServer.Json;

/// <summary>
/// The patch types of <c>PATCH</c>: JSON merge patch (RFC 7386), strategic merge patch (merge lists by their
/// Kubernetes merge key, <c>$patch: delete|replace</c>, other <c>$</c> directives ignored) and JSON patch (RFC 6902).
/// </summary>
public static class Patches
{
    /// <summary>
    /// The API groups of the built-in kinds served, which take strategic merge patches (client-side <c>kubectl apply</c>
    /// sends them); custom resources do not, as on a real API server (415).
    /// </summary>
    public static readonly IReadOnlySet<string> BuiltInGroups =
        new HashSet<string>(["", "apps", "batch", "networking.k8s.io", "policy", "rbac.authorization.k8s.io", "apiextensions.k8s.io"], StringComparer.Ordinal);

    /// <summary>The merge key of a list field, as the Kubernetes types declare <c>patchMergeKey</c>; null for atomic lists.</summary>
    public static string? MergeKey(string field, JsonArray items) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets" => "name",
        "volumeMounts" or "volumeDevices" => "mountPath",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "hostAliases" => "ip",
        "ports" => items.OfType<JsonObject>().Any(i => i.ContainsKey("containerPort")) ? "containerPort" : "port",
        _ => null,
    };

    /// <summary>RFC 7386: objects merge, null removes, everything else replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = MergePatch(result[key]?.DeepClone(), value);
            }
        }
        return result;
    }

    /// <summary>Strategic merge: as a merge patch, but lists with a merge key merge item by item.</summary>
    public static JsonNode? StrategicMerge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        if (patchObject["$patch"]?.GetValue<string>() == "replace")
        {
            var replaced = (JsonObject)patchObject.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonArray list && result[key] is JsonArray current && MergeKey(key, list.Count > 0 ? list : current) is { } mergeKey)
            {
                result[key] = MergeList(current, list, mergeKey);
            }
            else
            {
                result[key] = StrategicMerge(result[key]?.DeepClone(), value);
            }
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray current, JsonArray patch, string mergeKey)
    {
        var items = current.Select(i => i?.DeepClone()).ToList();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey]?.ToJsonString();
            var at = items.FindIndex(i => i is JsonObject o && o[mergeKey]?.ToJsonString() == key);
            if (item["$patch"]?.GetValue<string>() == "delete")
            {
                if (at >= 0)
                {
                    items.RemoveAt(at);
                }
            }
            else if (at >= 0)
            {
                items[at] = StrategicMerge(items[at], item);
            }
            else
            {
                items.Add(StrategicMerge(null, item));
            }
        }
        return new JsonArray([.. items]);
    }

    /// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test); a failed operation is a 422.</summary>
    public static JsonNode JsonPatch(JsonNode target, JsonArray operations)
    {
        var document = target.DeepClone();
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = operation["op"]?.GetValue<string>();
            var path = operation["path"]?.GetValue<string>() ?? throw ApiStatusException.BadRequest("json patch operation without path");
            switch (op)
            {
                case "add":
                    document = Add(document, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    document = Add(document, path, operation["value"]?.DeepClone());
                    break;
                case "move":
                {
                    var from = operation["from"]!.GetValue<string>();
                    var value = Get(document, from);
                    Remove(document, from);
                    document = Add(document, path, value);
                    break;
                }
                case "copy":
                    document = Add(document, path, Get(document, operation["from"]!.GetValue<string>()));
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), operation["value"]))
                    {
                        throw ApiStatusException.Invalid($"json patch test failed at {path}");
                    }
                    break;
                default:
                    throw ApiStatusException.BadRequest($"unknown json patch op '{op}'");
            }
        }
        return document;
    }

    private static string[] Tokens(string pointer) =>
        pointer.Length == 0 ? [] : [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~"))];

    private static JsonNode? Get(JsonNode document, string pointer)
    {
        JsonNode? node = document;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw ApiStatusException.Invalid($"json patch path not found: {pointer}"),
            };
        }
        return node?.DeepClone();
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode document, string pointer)
    {
        var tokens = Tokens(pointer);
        JsonNode? node = document;
        foreach (var token in tokens[..^1])
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            } ?? throw ApiStatusException.Invalid($"json patch path not found: {pointer}");
        }
        return (node!, tokens[^1]);
    }

    private static JsonNode Add(JsonNode document, string pointer, JsonNode? value)
    {
        if (pointer.Length == 0)
        {
            return value ?? throw ApiStatusException.Invalid("json patch cannot replace the document with null");
        }
        var (parent, last) = Parent(document, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw ApiStatusException.Invalid($"json patch path not found: {pointer}");
        }
        return document;
    }

    private static void Remove(JsonNode document, string pointer)
    {
        var (parent, last) = Parent(document, pointer);
        var removed = parent switch
        {
            JsonObject o => o.Remove(last),
            JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw ApiStatusException.Invalid($"json patch path not found: {pointer}");
        }
    }

    private static bool RemoveAt(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }
}
