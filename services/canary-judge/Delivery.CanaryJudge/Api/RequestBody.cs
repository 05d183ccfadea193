using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Delivery.CanaryJudge.Api;

/// <summary>Reads a request body of bounded size; a larger one is a 413 problem, never a buffer of any size.</summary>
internal static class RequestBody
{
    public static async Task<(byte[]? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, int max)
    {
        if (request.ContentLength > max)
        {
            return (null, TooLarge(max));
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max + 1L;
        }
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (body.Length + read > max)
                {
                    return (null, TooLarge(max));
                }
                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(max)
                : TypedResults.Problem($"The request body could not be read: {e.Message}", statusCode: e.StatusCode));
        }
        return (body.ToArray(), null);
    }

    private static ProblemHttpResult TooLarge(int max) =>
        TypedResults.Problem($"The request body is larger than {max} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
