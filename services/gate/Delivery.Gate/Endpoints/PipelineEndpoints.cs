using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
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
        group.MapPost("/", (Delegate)SavePipeline);
        group.MapDelete("/{app}/{name}", (HttpContext http, string app, string name) => GateRequests.SendAsync(http, new DeletePipelineConfig(app, name)));
        group.MapPost("/{app}/{name}", Trigger);
        group.MapGet("/{id}", (HttpContext http, string id) => GateRequests.SendAsync(http, new GetExecution(id)));
        group.MapPut("/{id}/cancel", (HttpContext http, string id, string? reason) =>
            GateRequests.SendAsync(http, new CancelExecution(id, GateRequests.User(http), reason)));
        group.MapPut("/{id}/pause", (HttpContext http, string id) => GateRequests.SendAsync(http, new PauseExecution(id, GateRequests.User(http))));
        group.MapPut("/{id}/resume", (HttpContext http, string id) => GateRequests.SendAsync(http, new ResumeExecution(id, GateRequests.User(http))));
        group.MapPut("/{id}/stages/{stageId}/restart", (HttpContext http, string id, string stageId) =>
            GateRequests.SendAsync(http, new RestartStage(id, stageId, GateRequests.User(http))));
        group.MapPut("/{id}/stages/{stageId}/skip", (HttpContext http, string id, string stageId) =>
            GateRequests.SendAsync(http, new SkipStage(id, stageId, GateRequests.User(http))));
        group.MapPatch("/{id}/stages/{stageId}", UpdateStage);
        return routes;
    }

    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> SavePipeline(HttpContext http)
    {
        var (body, _, problem) = await GateRequests.ReadObjectAsync(http.Request, "The pipeline");
        return problem ?? await GateRequests.SendAsync(http, new SavePipelineConfig(body!));
    }

    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> Trigger(HttpContext http, string app, string name)
    {
        var (_, trigger, problem) = await GateRequests.ReadObjectAsync(http.Request, "The trigger", emptyIsObject: true);
        if (problem is not null)
        {
            return problem;
        }
        // The trigger records who started it, unless the caller (a webhook relay, say) already did.
        trigger!["user"] ??= GateRequests.User(http);
        return await GateRequests.SendAsync(http, new TriggerPipeline(app, name, trigger.ToJsonString()));
    }

    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> UpdateStage(HttpContext http, string id, string stageId)
    {
        var (_, patch, problem) = await GateRequests.ReadObjectAsync(http.Request, "The stage update");
        return problem ?? await GateRequests.SendAsync(http, new UpdateStage(id, stageId, patch!.ToJsonString(), GateRequests.User(http)));
    }
}
