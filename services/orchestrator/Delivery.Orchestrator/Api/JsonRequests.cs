using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Api;

public static class JsonRequests
{
    /// <summary>Nesting allowed in a request body; deeper documents are refused before anything walks them.</summary>
    public const int MaxDepth = 64;

    // A property given twice would otherwise parse, then throw when the object is first read.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Parses a request body that must be a JSON object; the error says what is wrong with it.</summary>
    public static (JsonObject? Value, string? Error) ParseObject(string json, string what)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: Options) is JsonObject o ? (o, null) : (null, $"{what} must be a JSON object.");
        }
        catch (JsonException e)
        {
            return (null, $"{what} is not valid JSON: {e.Message}");
        }
    }
}
