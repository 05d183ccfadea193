using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tasks;

namespace Delivery.Orchestrator.Integrations.Webhooks;

/// <summary>An HTTP answer as the webhook stage records it.</summary>
public sealed record WebhookResponse(int StatusCode, JsonNode? Body, JsonObject Headers, bool BodyTruncated)
{
    /// <summary>The <c>webhook</c> (or <c>webhook.monitor</c>) entry: Spring's status name, its value, headers and body, as Orca records them.</summary>
    public JsonObject ToContext()
    {
        var node = new JsonObject
        {
            ["statusCode"] = WebhookHttp.StatusName(StatusCode),
            ["statusCodeValue"] = StatusCode,
            ["headers"] = Headers.DeepClone(),
        };
        if (Body is not null)
        {
            node["body"] = Body.DeepClone();
        }
        if (BodyTruncated)
        {
            node["bodyTruncated"] = true;
        }
        return node;
    }

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value is { } v ? ContextValues.String(v) : null;
}

/// <summary>Requests and responses of the webhook stage, with the stage's <c>customHeaders</c>.</summary>
public static class WebhookHttp
{
    public const string ClientName = "webhook";

    private static readonly HashSet<string> Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    /// <summary>Parses an absolute http(s) URL; null with the problem otherwise.</summary>
    public static Uri? ParseUrl(string? url, string field, out string? problem)
    {
        problem = null;
        if (Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }
        problem = $"'{field}' must be an absolute http(s) URL, not '{url}'.";
        return null;
    }

    public static HttpMethod? ParseMethod(string? method, out string? problem)
    {
        var name = string.IsNullOrWhiteSpace(method) ? "POST" : method.Trim().ToUpperInvariant();
        problem = Methods.Contains(name) ? null : $"'method' must be one of {string.Join(", ", Methods)}, not '{method}'.";
        return problem is null ? new HttpMethod(name) : null;
    }

    public static HttpRequestMessage Request(HttpMethod method, Uri url, JsonNode? payload, JsonNode? customHeaders)
    {
        var request = new HttpRequestMessage(method, url);
        if (payload is not null && method != HttpMethod.Get && method != HttpMethod.Head)
        {
            request.Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
        }
        if (customHeaders is JsonObject headers)
        {
            foreach (var (name, value) in headers)
            {
                var values = value is JsonArray list ? list.Select(ContextValues.String).OfType<string>().ToList() : [ContextValues.String(value) ?? ""];
                if (!request.Headers.TryAddWithoutValidation(name, values) && request.Content is { } content)
                {
                    content.Headers.Remove(name);
                    content.Headers.TryAddWithoutValidation(name, values);
                }
            }
        }
        return request;
    }

    public static async Task<WebhookResponse> ReadAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = values.FirstOrDefault();
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return new WebhookResponse((int)response.StatusCode, null, headers, BodyTruncated: true);
            }
            buffer.Write(chunk, 0, read);
        }
        return new WebhookResponse((int)response.StatusCode, ParseBody(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)), headers, false);
    }

    /// <summary>A JSON body as JSON, anything else as its text (null when empty), as Orca keeps it.</summary>
    public static JsonNode? ParseBody(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0)
        {
            return null;
        }
        if (trimmed[0] is '{' or '[')
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the text.
            }
        }
        return JsonValue.Create(text);
    }

    /// <summary>Spring's name for a status code (<c>OK</c>, <c>INTERNAL_SERVER_ERROR</c>), which Spinnaker records as <c>statusCode</c>.</summary>
    public static string StatusName(int code)
    {
        var name = Enum.IsDefined((HttpStatusCode)code) ? ((HttpStatusCode)code).ToString() : null;
        if (name is null || name.All(char.IsDigit))
        {
            return code.ToString(CultureInfo.InvariantCulture);
        }
        var snake = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
            {
                snake.Append('_');
            }
            snake.Append(char.ToUpperInvariant(name[i]));
        }
        return snake.ToString();
    }

    /// <summary>Whether to try again: a 5xx, a default retry code (429), or one of the stage's <c>retryStatusCodes</c>.</summary>
    public static bool IsRetryable(int code, IEnumerable<int> defaultRetryCodes, JsonNode? stageRetryCodes) =>
        code >= 500 || defaultRetryCodes.Contains(code) || Codes(stageRetryCodes).Contains(code);

    /// <summary>A list of status codes given as numbers or strings (<c>failFastStatusCodes</c>, <c>retryStatusCodes</c>).</summary>
    public static HashSet<int> Codes(JsonNode? node) =>
        node is JsonArray list ? [.. list.Select(ContextValues.Number).OfType<double>().Select(d => (int)d)] : [];
}
