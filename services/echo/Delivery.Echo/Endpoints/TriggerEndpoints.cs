using System.Text.Json.Nodes;
using Delivery.Echo.Index;
using Delivery.Echo.Triggers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Echo.Endpoints;

/// <summary>
/// Spinnaker's trigger endpoints (Echo's <c>WebhooksController</c>): <c>POST /webhooks/webhook/{source}</c>,
/// <c>POST /webhooks/docker/{account}</c> and <c>POST /webhooks/jenkins/{master}</c>. Each answers
/// <c>{"eventProcessed": true, "eventId": ..., "executions": [...]}</c>, naming what it started.
/// </summary>
public static class TriggerEndpoints
{
    public static IEndpointRouteBuilder MapTriggerEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/webhooks").WithTags("triggers");
        group.MapPost("/webhook/{source}", Webhook).Takes().ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/docker/{account}", Docker).Takes();
        group.MapPost("/jenkins/{master}", Jenkins).Takes();
        return routes;
    }

    private static async Task<Results<Ok<TriggerEventResult>, ProblemHttpResult>> Webhook(
        HttpContext http, string source, TriggerIndex index, TriggerLauncher launcher, IOptions<EchoOptions> options, ILogger<TriggerIndex> logger)
    {
        var (body, problem) = await TriggerRequests.ReadAsync(http);
        if (problem is not null)
        {
            return problem;
        }
        if (options.Value.Webhooks.TryGetValue(source, out var settings) && !string.IsNullOrEmpty(settings.Secret)
            && !TriggerRequests.IsSignedWith(body!, settings.Secret, http.Request.Headers[TriggerRequests.SignatureHeader].FirstOrDefault()))
        {
            return TriggerRequests.Unauthorized(
                $"Webhook source '{source}' takes only signed calls: {TriggerRequests.SignatureHeader} must be 'sha256=' and the hex HMAC-SHA256 of the body under the source's secret.");
        }
        var (payload, invalid) = TriggerRequests.ParseObject(body!, "The webhook payload");
        if (invalid is not null)
        {
            return invalid;
        }
        // A sender that redelivers names its event; without an id every call is a new event.
        var eventId = http.Request.Headers["X-Event-Id"].FirstOrDefault()
            ?? http.Request.Headers["X-GitHub-Delivery"].FirstOrDefault()
            ?? TriggerIndex.Text(payload!["eventId"])
            ?? Guid.NewGuid().ToString();
        await TriggerRequests.EnsureIndexAsync(index, http.RequestAborted);
        var matches = index.OfType(WebhookTrigger.Type).Where(t => WebhookTrigger.Matches(t, source, payload!, logger)).ToList();
        var started = await launcher.LaunchAsync($"webhook:{source}:{eventId}", matches, t => WebhookTrigger.TriggerOf(t, source, payload!), http.RequestAborted);
        return TypedResults.Ok(new TriggerEventResult(true, eventId, started));
    }

    private static async Task<Results<Ok<TriggerEventResult>, ProblemHttpResult>> Docker(
        HttpContext http, string account, TriggerIndex index, TriggerLauncher launcher, ILogger<TriggerIndex> logger)
    {
        var (body, problem) = await TriggerRequests.ReadAsync(http);
        if (problem is not null)
        {
            return problem;
        }
        var (notification, invalid) = TriggerRequests.ParseObject(body!, "The docker notification");
        if (invalid is not null)
        {
            return invalid;
        }
        var (pushes, error) = DockerTrigger.Parse(account, notification!);
        if (pushes is null)
        {
            return TriggerRequests.BadRequest(error!);
        }
        await TriggerRequests.EnsureIndexAsync(index, http.RequestAborted);
        var started = new List<StartedExecution>();
        foreach (var push in pushes)
        {
            var matches = index.OfType(DockerTrigger.Type).Where(t => DockerTrigger.Matches(t, account, push, logger));
            started.AddRange(await launcher.LaunchAsync(push.EventId, matches, t => DockerTrigger.TriggerOf(t, account, push), http.RequestAborted));
        }
        return TypedResults.Ok(new TriggerEventResult(true, string.Join(",", pushes.Select(p => p.EventId)), started));
    }

    private static async Task<Results<Ok<TriggerEventResult>, ProblemHttpResult>> Jenkins(
        HttpContext http, string master, TriggerIndex index, TriggerLauncher launcher)
    {
        var (body, problem) = await TriggerRequests.ReadAsync(http);
        if (problem is not null)
        {
            return problem;
        }
        var (notification, invalid) = TriggerRequests.ParseObject(body!, "The Jenkins notification");
        if (invalid is not null)
        {
            return invalid;
        }
        var (build, error) = JenkinsTrigger.Parse(notification!);
        if (build is null)
        {
            return TriggerRequests.BadRequest(error!);
        }
        var eventId = $"jenkins:{master}:{build.Job}:{build.Number}";
        if (!JenkinsTrigger.IsSuccessfulCompletion(build))
        {
            return TypedResults.Ok(new TriggerEventResult(true, eventId, []));
        }
        await TriggerRequests.EnsureIndexAsync(index, http.RequestAborted);
        var matches = index.OfType(JenkinsTrigger.Type).Where(t => JenkinsTrigger.Matches(t, master, build));
        var started = await launcher.LaunchAsync(eventId, matches, t => JenkinsTrigger.TriggerOf(t, master, build), http.RequestAborted);
        return TypedResults.Ok(new TriggerEventResult(true, eventId, started));
    }
}

internal static class TriggerEndpointMetadata
{
    /// <summary>Takes any JSON object; a body that is not one is a 400, one over the limit a 413.</summary>
    public static RouteHandlerBuilder Takes(this RouteHandlerBuilder endpoint) => endpoint
        .Accepts<JsonObject>("application/json")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
}

/// <summary>The answer to a trigger call: Spinnaker's <c>eventProcessed</c> and <c>eventId</c>, and the pipelines it started.</summary>
public sealed record TriggerEventResult(bool EventProcessed, string EventId, IReadOnlyList<StartedExecution> Executions);
