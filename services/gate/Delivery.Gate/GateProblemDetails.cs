using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Delivery.Gate;

/// <summary>
/// Every error gate answers is <c>application/problem+json</c> with a <c>detail</c> that says what
/// is wrong, including the ones no endpoint wrote (an unknown route, a method the route does not
/// take) and whatever the client says it accepts.
/// </summary>
public static class GateProblemDetails
{
    public static IServiceCollection AddGateProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.Configure<ProblemDetailsOptions>(options =>
        {
            var previous = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                context.ProblemDetails.Detail ??= DefaultDetail(context.HttpContext, context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
            };
        });
        // After the framework's writer, which declines clients that do not accept JSON (a browser asking for HTML).
        services.AddSingleton<IProblemDetailsWriter, AlwaysJsonProblemWriter>();
        return services;
    }

    /// <summary>The detail of a problem that no endpoint explained.</summary>
    public static string? DefaultDetail(HttpContext http, int status)
    {
        var request = $"{http.Request.Method} {http.Request.Path}";
        return status switch
        {
            StatusCodes.Status404NotFound => $"No resource matches {request}.",
            StatusCodes.Status405MethodNotAllowed => http.Response.Headers.Allow is { Count: > 0 } allow
                ? $"{http.Request.Method} is not allowed on {http.Request.Path}; it takes {string.Join(", ", allow.ToString().Split(',', StringSplitOptions.TrimEntries))}."
                : $"{http.Request.Method} is not allowed on {http.Request.Path}.",
            StatusCodes.Status400BadRequest => $"{request}: the request could not be read (a route, query or header value of the wrong form).",
            StatusCodes.Status413PayloadTooLarge => $"{request}: the request body is too large.",
            StatusCodes.Status415UnsupportedMediaType => $"{request}: the request body's content type is not supported: send JSON with Content-Type: application/json.",
            >= 500 => $"{request} failed unexpectedly; the server log has the details (trace {Activity.Current?.Id ?? http.TraceIdentifier}).",
            _ => null,
        };
    }

    /// <summary>Where RFC 9110 defines a status, for the problem's <c>type</c> (as the framework's writer does).</summary>
    private static string? Rfc9110Section(int status) => status switch
    {
        400 => "15.5.1",
        401 => "15.5.2",
        403 => "15.5.4",
        404 => "15.5.5",
        405 => "15.5.6",
        406 => "15.5.7",
        408 => "15.5.9",
        409 => "15.5.10",
        412 => "15.5.13",
        413 => "15.5.14",
        415 => "15.5.16",
        422 => "15.5.21",
        500 => "15.6.1",
        502 => "15.6.3",
        503 => "15.6.4",
        504 => "15.6.5",
        _ => null,
    };

    /// <summary>Writes problem+json for any request, applying the same customization as the framework's writer.</summary>
    private sealed class AlwaysJsonProblemWriter(IOptions<ProblemDetailsOptions> options, IOptions<HttpJsonOptions> json) : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => true;

        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            var http = context.HttpContext;
            var problem = context.ProblemDetails;
            problem.Status ??= http.Response.StatusCode;
            problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
            problem.Type ??= Rfc9110Section(problem.Status.Value) is { } section ? $"https://tools.ietf.org/html/rfc9110#section-{section}" : null;
            if (!problem.Extensions.ContainsKey("traceId"))
            {
                problem.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
            }
            options.Value.CustomizeProblemDetails?.Invoke(context);
            http.Response.Headers[HeaderNames.CacheControl] = "no-cache,no-store";
            return new ValueTask(http.Response.WriteAsJsonAsync(problem, json.Value.SerializerOptions, "application/problem+json", http.RequestAborted));
        }
    }
}
