using System.Text;
using Delivery.Contracts.Api;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delivery.Gate.Endpoints;

/// <summary>Sends a request over the bus to the service that owns the data and turns its answer into HTTP.</summary>
public static class GateRequests
{
    public static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> SendAsync<T>(HttpContext http, T request) where T : class
    {
        var client = http.RequestServices.GetRequiredService<IRequestClient<T>>();
        var timeout = http.RequestServices.GetRequiredService<IOptions<GateOptions>>().Value.RequestTimeoutSeconds;
        ApiResponse response;
        try
        {
            response = (await client.GetResponse<ApiResponse>(request, http.RequestAborted, RequestTimeout.After(s: timeout))).Message;
        }
        catch (RequestTimeoutException)
        {
            return TypedResults.Problem($"The orchestrator did not answer within {timeout} s.", statusCode: StatusCodes.Status504GatewayTimeout);
        }
        catch (RequestFaultException e)
        {
            var reason = e.Fault?.Exceptions.FirstOrDefault()?.Message ?? e.Message;
            return TypedResults.Problem($"The request failed: {reason}", statusCode: StatusCodes.Status500InternalServerError);
        }
        if (response.Status == StatusCodes.Status204NoContent)
        {
            return TypedResults.NoContent();
        }
        return response.IsSuccess
            ? TypedResults.Content(response.Json ?? "{}", "application/json", Encoding.UTF8, response.Status)
            : TypedResults.Problem(response.Detail, statusCode: response.Status);
    }

    /// <summary>Reads a request body up to the configured size; null (and a problem) when it is too large.</summary>
    public static async Task<(string? Body, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request)
    {
        var max = request.HttpContext.RequestServices.GetRequiredService<IOptions<GateOptions>>().Value.MaxBodyBytes;
        if (request.ContentLength > max)
        {
            return (null, TooLarge(max));
        }
        var buffer = new char[Math.Min(max, 16 * 1024)];
        var body = new StringBuilder();
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        int read;
        while ((read = await reader.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            body.Append(buffer, 0, read);
            if (body.Length > max)
            {
                return (null, TooLarge(max));
            }
        }
        return (body.ToString(), null);
    }

    /// <summary>The acting user: Spinnaker's X-SPINNAKER-USER header, else anonymous (standalone has no auth by default).</summary>
    public static string User(HttpContext http) =>
        http.Request.Headers["X-SPINNAKER-USER"].FirstOrDefault() is { Length: > 0 } user ? user : "anonymous";

    private static ProblemHttpResult TooLarge(int max) =>
        TypedResults.Problem($"The request body is larger than {max} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
