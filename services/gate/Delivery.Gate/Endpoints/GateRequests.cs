using Delivery.ServiceDefaults;
using Delivery.ServiceDefaults.Http;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using MassTransit;
using MassTransit.Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delivery.Gate.Endpoints;

/// <summary>Sends a request over the bus to the service that owns the data and turns its answer into HTTP.</summary>
public static class GateRequests
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    public static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> SendAsync<T>(HttpContext http, T request) where T : class
    {
        var timeout = http.RequestServices.GetRequiredService<IOptions<GateOptions>>().Value.RequestTimeoutSeconds;
        if (http.RequestServices.GetService<IApiQueryHandler<T>>() is { } query)
        {
            return await AnswerAsync(http, query, request, timeout);
        }
        // When the owning service runs in this process, it is reached through the mediator, without the broker.
        var client = http.RequestServices.GetService<IScopedMediator>() is { } mediator
            ? mediator.CreateRequestClient<T>()
            : http.RequestServices.GetRequiredService<IRequestClient<T>>();
        ApiReply response;
        try
        {
            response = (await client.GetResponse<ApiReply>(request, http.RequestAborted, RequestTimeout.After(s: timeout))).Message;
        }
        // On the mediator the answer arrives after the client gave up, and is reported as not consumed.
        catch (RequestException e) when (e is RequestTimeoutException || e.InnerException is MessageNotConsumedException)
        {
            return TypedResults.Problem($"The orchestrator did not answer within {timeout} s.", statusCode: StatusCodes.Status504GatewayTimeout);
        }
        catch (RequestFaultException e)
        {
            var reason = e.Fault?.Exceptions.FirstOrDefault()?.Message ?? e.Message;
            return TypedResults.Problem($"The request failed: {reason}", statusCode: StatusCodes.Status500InternalServerError);
        }
        return ToHttp(response);
    }

    /// <summary>A read answered in this process by a direct call (see <see cref="IApiQueryHandler{TQuery}"/>), under the same timeout as the bus.</summary>
    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> AnswerAsync<T>(HttpContext http, IApiQueryHandler<T> query, T request, int timeout) where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
        try
        {
            return ToHttp(await query.AnswerAsync(request, deadline.Token).WaitAsync(deadline.Token));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Problem($"The orchestrator did not answer within {timeout} s.", statusCode: StatusCodes.Status504GatewayTimeout);
        }
        // The bus path retries a store outage for a while; a read is cheaper to retry for the caller, told so.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return TypedResults.Problem($"The request failed: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static Results<ContentHttpResult, NoContent, ProblemHttpResult> ToHttp(ApiReply response) => response.Outcome switch
    {
        ApiOutcome.Done => TypedResults.NoContent(),
        ApiOutcome.Ok or ApiOutcome.Accepted => TypedResults.Content(response.Json ?? "{}", "application/json", Encoding.UTF8, StatusOf(response.Outcome)),
        // The fields at fault go in an `errors` extension, as in ASP.NET's ValidationProblemDetails, beside the detail.
        _ => TypedResults.Problem(response.Detail, statusCode: StatusOf(response.Outcome),
            extensions: response.Errors is { Count: > 0 } errors ? new Dictionary<string, object?> { ["errors"] = errors } : null),
    };

    /// <summary>The HTTP status that says what came of a request; Spinnaker's gate answers a trigger with 202.</summary>
    public static int StatusOf(ApiOutcome outcome) => outcome switch
    {
        ApiOutcome.Ok => StatusCodes.Status200OK,
        ApiOutcome.Accepted => StatusCodes.Status202Accepted,
        ApiOutcome.Done => StatusCodes.Status204NoContent,
        ApiOutcome.Invalid => StatusCodes.Status400BadRequest,
        ApiOutcome.NotFound => StatusCodes.Status404NotFound,
        ApiOutcome.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// Reads a request body of at most <see cref="GateOptions.MaxBodyBytes"/> bytes (counted on the
    /// wire, not in characters); null and a 413 problem when it is larger, a 400 when it is not valid UTF-8.
    /// </summary>
    public static async Task<(string? Body, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request)
    {
        var max = request.HttpContext.RequestServices.GetRequiredService<IOptions<GateOptions>>().Value.MaxBodyBytes;
        var (body, problem) = await BoundedRequestBody.ReadAsync(request, max);
        if (body is null)
        {
            return (null, problem);
        }
        var bytes = body.AsSpan();
        if (bytes.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }
        try
        {
            return (StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException e)
        {
            // Decoded leniently, the bad bytes would be saved as U+FFFD: a name that no longer matches what was sent.
            return (null, TypedResults.Problem($"The request body is not valid UTF-8 (byte {e.Index} of what remains after any BOM).",
                statusCode: StatusCodes.Status400BadRequest));
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a request body that must be one JSON object (see <see cref="RequestJson"/>); the problem
    /// is a 413 when it is too large and a 400 naming what is wrong when it is not such an object.
    /// </summary>
    public static async Task<(string? Body, JsonObject? Value, ProblemHttpResult? Problem)> ReadObjectAsync(
        HttpRequest request, string what, bool emptyIsObject = false)
    {
        var (body, problem) = await ReadBodyAsync(request);
        if (problem is not null)
        {
            return (null, null, problem);
        }
        if (emptyIsObject && string.IsNullOrWhiteSpace(body))
        {
            return ("{}", [], null);
        }
        var (value, error) = StrictJson.ParseObject(body!, what);
        return value is null
            ? (null, null, TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest))
            : (body, value, null);
    }

    /// <summary>Reads a <c>limit</c> query value as text, so that "limit=lots" is a 400 that says so rather than a binding failure.</summary>
    public static (int Limit, ProblemHttpResult? Problem) ParseLimit(string? limit, int fallback)
    {
        if (string.IsNullOrWhiteSpace(limit))
        {
            return (fallback, null);
        }
        return int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count >= 1
            ? (count, null)
            : (0, TypedResults.Problem($"'limit' must be a whole number of at least 1, not '{limit}'.", statusCode: StatusCodes.Status400BadRequest));
    }

    /// <summary>The acting user: Spinnaker's X-SPINNAKER-USER header, else anonymous (standalone has no auth by default).</summary>
    public static string User(HttpContext http) =>
        http.Request.Headers["X-SPINNAKER-USER"].FirstOrDefault() is { Length: > 0 } user ? user : "anonymous";

}
