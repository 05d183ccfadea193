using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Delivery.ServiceDefaults.Health;

/// <summary>
/// The two probes of every host: <c>/alive</c> (liveness: the process serves HTTP; no dependency is
/// checked, so a Redis or RabbitMQ outage never gets replicas restarted) and <c>/health</c>
/// (readiness: every registered check, i.e. Redis connected and the MassTransit bus started).
/// Both answer 200 or 503 with <c>{status, checks: {name: {status, description}}}</c>.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Tag of the checks <c>/alive</c> runs.</summary>
    public const string LiveTag = "live";

    internal static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).ExcludeFromDescription();
        endpoints.MapHealthChecks("/alive", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResponseWriter = WriteAsync,
        }).ExcludeFromDescription();
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description ?? e.Value.Exception?.Message }),
        };
        return JsonSerializer.SerializeAsync(http.Response.Body, body, JsonDefaults.Options, http.RequestAborted);
    }
}
