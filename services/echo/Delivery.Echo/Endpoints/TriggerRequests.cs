using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Echo.Index;
using Delivery.ServiceDefaults;
using Delivery.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delivery.Echo.Endpoints;

/// <summary>What every trigger endpoint does with its request: a bounded body, a JSON object, an optional signature.</summary>
internal static class TriggerRequests
{
    /// <summary>The header a signed webhook carries: <c>sha256=</c> and the hex HMAC-SHA256 of the raw body (GitHub's form).</summary>
    public const string SignatureHeader = "X-Hub-Signature-256";

    /// <summary>Reads the body (at most <see cref="EchoOptions.MaxBodyBytes"/>; 413 beyond) as raw bytes.</summary>
    public static async Task<(byte[]? Body, ProblemHttpResult? Problem)> ReadAsync(HttpContext http)
    {
        var max = http.RequestServices.GetRequiredService<IOptions<EchoOptions>>().Value.MaxBodyBytes;
        return await BoundedRequestBody.ReadAsync(http.Request, max);
    }

    /// <summary>The body as one JSON object, or a 400 problem naming what is wrong.</summary>
    public static (JsonObject? Value, ProblemHttpResult? Problem) ParseObject(byte[] body, string what)
    {
        var text = Encoding.UTF8.GetString(body.AsSpan().StartsWith("\uFEFF"u8) ? body.AsSpan(3) : body);
        var (value, error) = StrictJson.ParseObject(text, what);
        return value is null ? (null, BadRequest(error!)) : (value, null);
    }

    /// <summary>True when <paramref name="header"/> is <c>sha256=</c> and the HMAC-SHA256 of <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static bool IsSignedWith(byte[] body, string secret, string? header)
    {
        if (header is null || !header.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(7).Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Makes sure a trigger finds the index built: the first calls after start may precede the first rebuild.</summary>
    public static async Task EnsureIndexAsync(TriggerIndex index, CancellationToken cancellationToken)
    {
        if (!index.IsReady)
        {
            await index.RefreshAsync(cancellationToken);
        }
    }

    public static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult Unauthorized(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized);
}
