using System.Text.Json.Nodes;

namespace Delivery.KubernetesTestServer.Json;

/// <summary>
/// Field ownership as server-side apply keeps it in <c>metadata.managedFields</c> (FieldsV1): a manager owns the leaf
/// fields it set; lists with a merge key are granular (items <c>k:{"name":"web"}</c>), other lists are atomic. Apply
/// conflicts when it would change a field another manager owns (unless forced, which takes the field over); fields a
/// manager stops applying are removed unless someone else owns them; updates (PUT/PATCH) take over the fields they change.
/// A simplification of structured-merge-diff: sets are compared by leaf paths only.
/// </summary>
public static class ManagedFields
{
    private const char Sep = '\n';
    private static readonly HashSet<string> Identity = ["apiVersion", "kind"];
    private static readonly HashSet<string> ServerMetadata =
        ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "deletionTimestamp", "selfLink"];

    private sealed record Entry(string Manager, string Operation, string ApiVersion, string? Subresource, HashSet<string> Fields);

    /// <summary>Applies <paramref name="applied"/> (no status) over <paramref name="live"/> (or a new object) as <paramref name="manager"/>.</summary>
    /// <exception cref="ApiStatusException">409 Conflict naming each field and its owner, unless <paramref name="force"/>.</exception>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string manager, bool force, DateTimeOffset now)
    {
        var result = (JsonObject?)live?.DeepClone() ?? new JsonObject();
        var entries = Read(result);
        var desired = Leaves(applied);
        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply" && e.Subresource is null);
        var conflicts = new List<(Entry Owner, string Path)>();
        foreach (var other in entries.Where(e => e != mine))
        {
            conflicts.AddRange(other.Fields.Where(p => desired.Contains(p) && !IsItem(p) && !JsonNode.DeepEquals(ValueAt(result, p), ValueAt(applied, p)))
                .Select(p => (other, p)));
        }
        if (conflicts.Count > 0 && !force)
        {
            var causes = new JsonArray([.. conflicts.Select(c => (JsonNode)new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with \"{c.Owner.Manager}\"" + (c.Owner.Operation == "Update" ? $" using {c.Owner.ApiVersion}" : ""),
                ["field"] = Display(c.Path),
            })]);
            var lines = conflicts.Select(c => $"conflict with \"{c.Owner.Manager}\"{(c.Owner.Operation == "Update" ? $" using {c.Owner.ApiVersion}" : "")}: {Display(c.Path)}");
            throw ApiStatusException.Conflict($"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: {string.Join("\n", lines)}", causes);
        }
        foreach (var (owner, path) in conflicts)
        {
            owner.Fields.Remove(path);
        }
        foreach (var dropped in (mine?.Fields ?? []).Except(desired).OrderByDescending(p => p.Length))
        {
            if (!entries.Any(e => e != mine && e.Fields.Any(p => p == dropped || p.StartsWith(dropped + Sep, StringComparison.Ordinal))))
            {
                RemoveAt(result, dropped);
            }
        }
        result = (JsonObject)Patches.StrategicMerge(result, Without(applied, "status"))!;
        entries.Remove(mine!);
        entries.Add(new Entry(manager, "Apply", applied["apiVersion"]?.GetValue<string>() ?? "", null, desired));
        Write(result, entries, now);
        return result;
    }

    /// <summary>Records a PUT/PATCH by <paramref name="manager"/>: it owns what it changed; removed fields are owned by no one.</summary>
    public static void Update(JsonObject? before, JsonObject after, string manager, string? subresource, DateTimeOffset now)
    {
        var entries = Read(after);
        var old = before is null ? [] : Leaves(before);
        var now_ = Leaves(after);
        var changed = now_.Where(p => !old.Contains(p) || !JsonNode.DeepEquals(ValueAt(before!, p), ValueAt(after, p))).ToHashSet();
        foreach (var entry in entries)
        {
            entry.Fields.RemoveWhere(p => !now_.Contains(p) || (changed.Contains(p) && !(entry.Manager == manager && entry.Operation == "Update")));
        }
        if (changed.Count > 0)
        {
            var entry = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Update" && e.Subresource == subresource);
            if (entry is null)
            {
                entry = new Entry(manager, "Update", after["apiVersion"]?.GetValue<string>() ?? "", subresource, []);
                entries.Add(entry);
            }
            entry.Fields.UnionWith(changed);
        }
        Write(after, entries, now);
    }

    private static JsonObject Without(JsonObject obj, string key)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove(key);
        return copy;
    }

    private static bool IsItem(string path) => path[(path.LastIndexOf(Sep) + 1)..].StartsWith("k:", StringComparison.Ordinal);

    /// <summary>The owned paths of an object: leaves, and the items of granular lists.</summary>
    internal static HashSet<string> Leaves(JsonObject obj)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (Identity.Contains(key))
            {
                continue;
            }
            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (mk, mv) in metadata.Where(m => !ServerMetadata.Contains(m.Key)))
                {
                    Walk(mv, mk, $"f:metadata{Sep}f:{mk}", paths);
                }
                continue;
            }
            Walk(value, key, $"f:{key}", paths);
        }
        return paths;
    }

    private static void Walk(JsonNode? node, string field, string path, HashSet<string> into)
    {
        switch (node)
        {
            case JsonObject { Count: > 0 } o:
                foreach (var (key, value) in o)
                {
                    Walk(value, key, $"{path}{Sep}f:{key}", into);
                }
                break;
            case JsonArray a when Patches.MergeKey(field, a) is { } key && a.All(i => i is JsonObject io && io[key] is not null):
                foreach (var item in a.OfType<JsonObject>())
                {
                    var itemPath = $"{path}{Sep}k:{new JsonObject { [key] = item[key]!.DeepClone() }.ToJsonString()}";
                    into.Add(itemPath);
                    foreach (var (k, v) in item)
                    {
                        Walk(v, k, $"{itemPath}{Sep}f:{k}", into);
                    }
                }
                break;
            default:
                into.Add(path);
                break;
        }
    }

    private static JsonNode? ValueAt(JsonNode? node, string path)
    {
        foreach (var segment in path.Split(Sep))
        {
            node = Step(node, segment, out _, out _);
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    private static JsonNode? Step(JsonNode? node, string segment, out JsonArray? list, out int index)
    {
        list = null;
        index = -1;
        if (segment.StartsWith("f:", StringComparison.Ordinal))
        {
            return node is JsonObject o ? o[segment[2..]] : null;
        }
        if (node is JsonArray a && JsonNode.Parse(segment[2..]) is JsonObject key)
        {
            var (k, v) = key.First();
            list = a;
            index = a.ToList().FindIndex(i => i is JsonObject io && JsonNode.DeepEquals(io[k], v));
            return index >= 0 ? a[index] : null;
        }
        return null;
    }

    private static void RemoveAt(JsonObject root, string path)
    {
        var segments = path.Split(Sep);
        JsonNode? node = root;
        foreach (var segment in segments[..^1])
        {
            node = Step(node, segment, out _, out _);
        }
        var last = segments[^1];
        if (last.StartsWith("f:", StringComparison.Ordinal))
        {
            (node as JsonObject)?.Remove(last[2..]);
        }
        else if (Step(node, last, out var list, out var index) is not null)
        {
            list!.RemoveAt(index);
        }
    }

    /// <summary>A path as kubectl shows conflicts: <c>.spec.template.spec.containers[name="web"].image</c>.</summary>
    private static string Display(string path) => string.Concat(path.Split(Sep).Select(s =>
        s.StartsWith("f:", StringComparison.Ordinal) ? "." + s[2..]
        : "[" + string.Join(",", JsonNode.Parse(s[2..])!.AsObject().Select(kv => $"{kv.Key}={kv.Value!.ToJsonString()}")) + "]"));

    private static List<Entry> Read(JsonObject obj)
    {
        var entries = new List<Entry>();
        foreach (var m in obj["metadata"]?["managedFields"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var fields = new HashSet<string>(StringComparer.Ordinal);
            if (m["fieldsV1"] is JsonObject v1)
            {
                FromFieldsV1(v1, "", fields);
            }
            entries.Add(new Entry(m["manager"]?.GetValue<string>() ?? "", m["operation"]?.GetValue<string>() ?? "Update",
                m["apiVersion"]?.GetValue<string>() ?? "", m["subresource"]?.GetValue<string>(), fields));
        }
        return entries;
    }

    private static void FromFieldsV1(JsonObject node, string prefix, HashSet<string> into)
    {
        foreach (var (key, value) in node)
        {
            if (key == ".")
            {
                into.Add(prefix);
                continue;
            }
            var path = prefix.Length == 0 ? key : prefix + Sep + key;
            if (value is JsonObject { Count: > 0 } child)
            {
                FromFieldsV1(child, path, into);
            }
            else
            {
                into.Add(path);
            }
        }
    }

    private static void Write(JsonObject obj, List<Entry> entries, DateTimeOffset now)
    {
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        var previous = metadata["managedFields"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        var written = new JsonArray();
        foreach (var entry in entries.Where(e => e.Fields.Count > 0))
        {
            var v1 = new JsonObject();
            foreach (var path in entry.Fields.OrderBy(p => p, StringComparer.Ordinal))
            {
                var node = v1;
                var segments = path.Split(Sep);
                foreach (var segment in segments)
                {
                    node = node[segment] as JsonObject ?? (JsonObject)(node[segment] = new JsonObject());
                }
                if (IsItem(path) || node.Count > 0)
                {
                    node["."] = new JsonObject();
                }
            }
            var same = previous.FirstOrDefault(p => p["manager"]?.GetValue<string>() == entry.Manager && p["operation"]?.GetValue<string>() == entry.Operation
                && JsonNode.DeepEquals(p["fieldsV1"], v1));
            var item = new JsonObject
            {
                ["manager"] = entry.Manager, ["operation"] = entry.Operation, ["apiVersion"] = entry.ApiVersion,
                ["time"] = same?["time"]?.DeepClone() ?? now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["fieldsType"] = "FieldsV1", ["fieldsV1"] = v1,
            };
            if (entry.Subresource is not null)
            {
                item["subresource"] = entry.Subresource;
            }
            written.Add(item);
        }
        metadata["managedFields"] = written;
    }
}
