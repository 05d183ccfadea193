using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.ServiceDefaults;

/// <summary>
/// How every service parses a JSON request body: one object, nested at most <see cref="MaxDepth"/>
/// levels, no property given twice (which would otherwise parse, then throw when first read).
/// </summary>
public static class StrictJson
{
    public const int MaxDepth = 64;

    public static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>The body as a JSON object, or an error that starts with <paramref name="what"/> and says what is wrong.</summary>
    public static (JsonObject? Value, string? Error) ParseObject(string body, string what)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: Options);
        }
        catch (JsonException e)
        {
            return (null, $"{what} is not valid JSON: {e.Message}");
        }
        return node switch
        {
            JsonObject o => (o, null),
            null => (null, $"{what} must be a JSON object, not null."),
            _ => (null, $"{what} must be a JSON object, not {Kind(node.GetValueKind())}."),
        };
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
