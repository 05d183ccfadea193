using System.Globalization;
using System.Text.Json.Nodes;
using Delivery.Clouddriver.Operations;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Delivery.Clouddriver.Kubernetes.Manifests;

/// <summary>
/// Reads a deploy's <c>manifests</c>: each entry an object, or a string holding YAML or JSON (several documents allowed,
/// and <c>List</c> kinds are flattened). Every manifest needs <c>apiVersion</c>, <c>kind</c> and <c>metadata.name</c>;
/// anything else is an invalid-input failure naming the entry, raised before any manifest is applied.
/// </summary>
public static class ManifestReader
{
    public static List<JsonObject> Read(JsonArray? manifests, int max)
    {
        if (manifests is not { Count: > 0 })
        {
            throw OperationException.Invalid("manifests must hold at least one manifest.");
        }
        var read = new List<JsonObject>();
        for (var i = 0; i < manifests.Count; i++)
        {
            foreach (var document in Documents(manifests[i], i))
            {
                if (document is JsonObject list && list["kind"]?.GetValue<string>() is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && list["items"] is JsonArray items)
                {
                    read.AddRange(items.Select(item => Check(item, i)));
                }
                else
                {
                    read.Add(Check(document, i));
                }
            }
        }
        if (read.Count > max)
        {
            throw OperationException.Invalid($"A deploy may carry at most {max} manifests, not {read.Count}.");
        }
        return read;
    }

    private static IEnumerable<JsonNode?> Documents(JsonNode? entry, int index)
    {
        if (entry is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return [entry?.DeepClone()];
        }
        try
        {
            return YamlJson.ParseAll(value.GetValue<string>());
        }
        catch (YamlException e)
        {
            throw OperationException.Invalid($"manifests[{index}] is not valid YAML or JSON: {e.Message}");
        }
    }

    private static JsonObject Check(JsonNode? node, int index)
    {
        if (node is not JsonObject manifest)
        {
            throw OperationException.Invalid($"manifests[{index}] is not an object (a Kubernetes manifest, as YAML or JSON).");
        }
        if (manifest["kind"] is not JsonValue kind || kind.GetValueKind() != System.Text.Json.JsonValueKind.String || kind.GetValue<string>().Length == 0)
        {
            throw OperationException.Invalid($"manifests[{index}] has no kind.");
        }
        if (manifest["apiVersion"] is not JsonValue version || version.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            throw OperationException.Invalid($"manifests[{index}] ({kind}) has no apiVersion.");
        }
        if (manifest["metadata"]?["name"] is not JsonValue name || name.GetValueKind() != System.Text.Json.JsonValueKind.String || name.GetValue<string>().Length == 0)
        {
            throw OperationException.Invalid($"manifests[{index}] ({kind}) has no metadata.name.");
        }
        return manifest;
    }
}

/// <summary>YAML to JSON with the YAML 1.2 core schema for plain scalars (null, booleans, numbers); quoted scalars stay strings.</summary>
public static class YamlJson
{
    /// <summary>Every non-empty document; throws <see cref="YamlException"/> for text that is not YAML.</summary>
    public static List<JsonNode?> ParseAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "", Style: ScalarStyle.Plain or ScalarStyle.Any }).Select(d => Convert(d.RootNode))];
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new YamlException($"Unsupported YAML node {node.NodeType}."),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(value);
        }
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => JsonValue.Create(i),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when value.Length > 0 && (char.IsDigit(value[0]) || value[0] is '-' or '+' or '.') && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }
}
