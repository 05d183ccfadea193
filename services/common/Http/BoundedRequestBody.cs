using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Delivery.ServiceDefaults.Http;

/// <summary>
/// Reads a request body of at most a given number of bytes, counted on the wire (not in characters), for every
/// service's HTTP API: a larger body is a 413 problem, never a buffer of any size.
/// </summary>
public static class BoundedRequestBody
{
    /// <summary>The body's bytes, or the problem to answer with (413 too large, or the status Kestrel gave a body it could not read).</summary>
    public static async Task<(byte[]? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }
        // Let the server stop a larger body early as well (Kestrel's own default is 30 MB).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1L;
        }
        using var body = new MemoryStream();
        var chunk = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return (null, TooLarge(maxBytes));
                }
                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(maxBytes)
                : TypedResults.Problem($"The request body could not be read: {e.Message}", statusCode: e.StatusCode));
        }
        return (body.ToArray(), null);
    }

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        TypedResults.Problem($"The request body is larger than {maxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
