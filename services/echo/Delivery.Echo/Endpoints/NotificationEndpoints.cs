using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Contracts.Orchestration;
using Delivery.Echo.Notifications;
using Delivery.Echo.Orchestration;
using Delivery.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Delivery.Echo.Endpoints;

/// <summary>
/// Echo's notification API: application preferences (Spinnaker's <c>/notifications/application/{app}</c>),
/// Slack's interactive callback, and the confirmation page behind an email's judgment links.
/// </summary>
public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/notifications").WithTags("notifications");
        group.MapGet("/application/{app}", async (string app, ApplicationPreferences preferences) =>
            TypedResults.Content((await preferences.GetAsync(app)).ToJsonString(), "application/json")).Produces<JsonObject>(StatusCodes.Status200OK, "application/json");
        group.MapPost("/application/{app}", SavePreferences).Takes().Produces<JsonObject>(StatusCodes.Status200OK, "application/json");
        group.MapPost("/slack/interactive", SlackInteractive).Accepts<string>("application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/judgment/{token}", ConfirmJudgment).Produces<string>(StatusCodes.Status200OK, "text/html").ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/judgment/{token}", ApplyJudgment).Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> SavePreferences(HttpContext http, string app, ApplicationPreferences preferences)
    {
        var (body, problem) = await TriggerRequests.ReadAsync(http);
        if (problem is not null)
        {
            return problem;
        }
        var (value, invalid) = TriggerRequests.ParseObject(body!, "The notification preferences");
        if (invalid is not null)
        {
            return invalid;
        }
        var (saved, error) = await preferences.SaveAsync(app, value!);
        return saved is null ? TriggerRequests.BadRequest(error!) : TypedResults.Content(saved.ToJsonString(), "application/json");
    }

    private static async Task<Results<Ok<string>, ProblemHttpResult>> SlackInteractive(HttpContext http, SlackInteractions slack)
    {
        var (body, problem) = await TriggerRequests.ReadAsync(http);
        if (problem is not null)
        {
            return problem;
        }
        if (slack.Verify(body!, http.Request.Headers["X-Slack-Request-Timestamp"].FirstOrDefault(), http.Request.Headers["X-Slack-Signature"].FirstOrDefault()) is { } refused)
        {
            return TriggerRequests.Unauthorized(refused);
        }
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body!));
        if (!form.TryGetValue("payload", out var payloadText) || StrictJson.ParseObject(payloadText.ToString(), "The Slack payload") is not ({ } payload, null))
        {
            return TriggerRequests.BadRequest("The body must be a form with a 'payload' field holding Slack's JSON.");
        }
        return TypedResults.Ok(await slack.HandleAsync(payload, http.RequestAborted));
    }

    /// <summary>A GET only shows what the link would do: mail scanners follow links, and must not judge.</summary>
    private static Results<ContentHttpResult, ProblemHttpResult> ConfirmJudgment(string token, JudgmentLinks links)
    {
        var (grant, problem) = links.Verify(token);
        if (grant is null)
        {
            return TriggerRequests.Unauthorized(problem!);
        }
        var verb = grant.JudgmentStatus == "continue" ? "Continue" : "Stop";
        var html = $"""
            <!doctype html><html><head><meta charset="utf-8"><title>{verb} the pipeline?</title></head><body>
            <h1>{verb} the pipeline?</h1>
            <p>Execution <code>{WebUtility.HtmlEncode(grant.ExecutionId)}</code>, stage <code>{WebUtility.HtmlEncode(grant.StageId)}</code>,
            judged as {WebUtility.HtmlEncode(grant.User)}.</p>
            <form method="post"><button type="submit" name="judgment" value="{grant.JudgmentStatus}">{verb}</button></form>
            </body></html>
            """;
        return TypedResults.Content(html, "text/html", Encoding.UTF8);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ApplyJudgment(HttpContext http, string token, JudgmentLinks links, OrchestratorClient orchestrator)
    {
        var (grant, problem) = links.Verify(token);
        if (grant is null)
        {
            return TriggerRequests.Unauthorized(problem!);
        }
        var update = new JsonObject { ["judgmentStatus"] = grant.JudgmentStatus }.ToJsonString();
        var reply = await orchestrator.SendAsync(new UpdateStage(grant.ExecutionId, grant.StageId, update, grant.User), http.RequestAborted);
        if (!reply.IsSuccess)
        {
            return TypedResults.Problem(reply.Detail, statusCode: reply.Outcome == Contracts.Api.ApiOutcome.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict);
        }
        var done = grant.JudgmentStatus == "continue" ? "continues" : "was stopped";
        return TypedResults.Content($"<!doctype html><html><body><p>Done: the pipeline {done}, judged by {WebUtility.HtmlEncode(grant.User)}.</p></body></html>",
            "text/html", Encoding.UTF8);
    }
}
