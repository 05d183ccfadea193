using System.Diagnostics;
using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Gate.Endpoints.Schemas;
using Delivery.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Delivery.Gate.Endpoints;

/// <summary>Spinnaker's <c>/pipelines</c> API: configs, triggers, executions and their controls.</summary>
public static class PipelineEndpoints
{
    public static IEndpointRouteBuilder MapPipelineEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/pipelines").WithTags("pipelines");
        group.MapPost("/", (Delegate)SavePipeline)
            .Takes<PipelineConfig>().Replies<PipelineConfig>(StatusCodes.Status200OK);
        group.MapDelete("/{app}/{name}", (HttpContext http, string app, string name) => GateRequests.SendAsync(http, new DeletePipelineConfig(app, name)))
            .RepliesNothing(StatusCodes.Status404NotFound);
        group.MapPost("/{app}/{name}", Trigger)
            .Takes<TriggerRequest>(optional: true).Replies<TriggerAccepted>(StatusCodes.Status202Accepted, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/{id}", (HttpContext http, string id) => GateRequests.SendAsync(http, new GetExecution(id)))
            .Replies<PipelineExecution>(StatusCodes.Status200OK, StatusCodes.Status404NotFound);
        group.MapPut("/{id}/cancel", (HttpContext http, string id, string? reason) =>
            GateRequests.SendAsync(http, new CancelExecution(id, GateRequests.User(http), reason)))
            .Replies<PipelineExecution>(StatusCodes.Status200OK, StatusCodes.Status404NotFound);
        group.MapPut("/{id}/pause", (HttpContext http, string id) => GateRequests.SendAsync(http, new PauseExecution(id, GateRequests.User(http))))
            .Replies<PipelineExecution>(StatusCodes.Status200OK, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPut("/{id}/resume", (HttpContext http, string id) => GateRequests.SendAsync(http, new ResumeExecution(id, GateRequests.User(http))))
            .Replies<PipelineExecution>(StatusCodes.Status200OK, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPut("/{id}/stages/{stageId}/restart", (HttpContext http, string id, string stageId) =>
            GateRequests.SendAsync(http, new RestartStage(id, stageId, GateRequests.User(http))))
            .Replies<PipelineExecution>(StatusCodes.Status200OK, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPut("/{id}/stages/{stageId}/skip", (HttpContext http, string id, string stageId) =>
            GateRequests.SendAsync(http, new SkipStage(id, stageId, GateRequests.User(http))))
            .Replies<PipelineExecution>(StatusCodes.Status200OK, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPatch("/{id}/stages/{stageId}", UpdateStage)
            .Takes<StageUpdate>().Replies<PipelineExecution>(StatusCodes.Status200OK, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> SavePipeline(HttpContext http)
    {
        var (body, _, problem) = await GateRequests.ReadObjectAsync(http.Request, "The pipeline");
        return problem ?? await GateRequests.SendAsync(http, new SavePipelineConfig(body!));
    }

    /// <summary>Trigger fields naming a parent execution (Orca's pipeline trigger and pipeline stage set them).</summary>
    private static readonly string[] ParentLinks = ["parentExecution", "parentExecutionId", "parentPipelineStageId"];

    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> Trigger(HttpContext http, string app, string name)
    {
        var (_, trigger, problem) = await GateRequests.ReadObjectAsync(http.Request, "The trigger", emptyIsObject: true);
        if (problem is not null)
        {
            return problem;
        }
        if (ParentLinks.Where(trigger!.ContainsKey).ToList() is { Count: > 0 } links)
        {
            // Expressions read the parent (trigger.parentExecution...) as fact and a child reports its end to it:
            // only a pipeline stage or echo's pipeline trigger, inside Delivery, may set them.
            return TypedResults.Problem(
                $"The trigger may not set {string.Join(", ", links)}: Delivery sets the parent execution when a pipeline stage or a pipeline trigger starts one.",
                statusCode: StatusCodes.Status400BadRequest);
        }
        // The trigger records who started it, unless the caller (a webhook relay, say) already did.
        trigger["user"] ??= GateRequests.User(http);
        var reply = await GateRequests.SendAsync(http, new TriggerPipeline(app, name, trigger.ToJsonString()));
        if (reply.Result is ContentHttpResult { ResponseContent: { } accepted })
        {
            // The request's span names the execution it started, so a trace can be found from the execution.
            DeliveryTelemetry.TagExecution(Activity.Current, (JsonNode.Parse(accepted)?["ref"]?.GetValue<string>())?.Split('/')[^1]);
        }
        return reply;
    }

    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> UpdateStage(HttpContext http, string id, string stageId)
    {
        var (_, patch, problem) = await GateRequests.ReadObjectAsync(http.Request, "The stage update");
        return problem ?? await GateRequests.SendAsync(http, new UpdateStage(id, stageId, patch!.ToJsonString(), GateRequests.User(http)));
    }
}
