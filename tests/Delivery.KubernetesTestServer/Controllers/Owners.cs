using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.KubernetesTestServer.Controllers;

/// <summary>Owner references and pod template identity, as the workload controllers use them.</summary>
internal static class Owners
{
    public static JsonObject Reference(JsonObject owner) => new()
    {
        ["apiVersion"] = owner["apiVersion"]!.DeepClone(), ["kind"] = owner["kind"]!.DeepClone(),
        ["name"] = owner["metadata"]!["name"]!.DeepClone(), ["uid"] = owner["metadata"]!["uid"]!.DeepClone(),
        ["controller"] = true, ["blockOwnerDeletion"] = true,
    };

    /// <summary>A pod of <paramref name="owner"/> from its pod template, with extra labels (a revision hash, a job name).</summary>
    public static JsonObject Pod(JsonObject owner, JsonNode? template, IReadOnlyDictionary<string, string>? labels = null, JsonObject? spec = null)
    {
        var podLabels = template?["metadata"]?["labels"]?.DeepClone() as JsonObject ?? [];
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            podLabels[key] = value;
        }
        var podSpec = template?["spec"]?.DeepClone() as JsonObject ?? [];
        foreach (var (key, value) in spec ?? [])
        {
            podSpec[key] = value?.DeepClone();
        }
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["labels"] = podLabels,
                ["annotations"] = template?["metadata"]?["annotations"]?.DeepClone(),
                ["ownerReferences"] = new JsonArray(Reference(owner)),
            },
            ["spec"] = podSpec,
        };
    }

    public static bool ControlledBy(JsonObject obj, string uid) =>
        obj["metadata"]?["ownerReferences"]?.AsArray().Any(r => r?["uid"]?.GetValue<string>() == uid && r["controller"]?.GetValue<bool>() == true) == true;

    /// <summary>A pod template without the <c>pod-template-hash</c> label, keys sorted, for comparing and hashing.</summary>
    public static string Canonical(JsonNode? template)
    {
        var copy = template?.DeepClone();
        (copy?["metadata"]?["labels"] as JsonObject)?.Remove("pod-template-hash");
        if (copy?["metadata"]?["labels"] is JsonObject { Count: 0 } labels)
        {
            ((JsonObject)copy["metadata"]!).Remove("labels");
        }
        var text = new StringBuilder();
        Write(copy, text);
        return text.ToString();
    }

    /// <summary>A short stable hash of a template, as the <c>pod-template-hash</c> label (FNV-1a).</summary>
    public static string Hash(JsonNode? template)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(Canonical(template)))
        {
            hash = (hash ^ b) * 16777619u;
        }
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var text = new StringBuilder();
        do
        {
            text.Append(alphabet[(int)(hash % (uint)alphabet.Length)]);
            hash /= (uint)alphabet.Length;
        }
        while (hash > 0);
        return text.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case JsonObject o:
                text.Append('{');
                foreach (var (key, value) in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    text.Append(System.Text.Json.JsonSerializer.Serialize(key)).Append(':');
                    Write(value, text);
                    text.Append(',');
                }
                text.Append('}');
                break;
            case JsonArray a:
                text.Append('[');
                foreach (var item in a)
                {
                    Write(item, text);
                    text.Append(',');
                }
                text.Append(']');
                break;
            default:
                text.Append(node?.ToJsonString() ?? "null");
                break;
        }
    }
}
