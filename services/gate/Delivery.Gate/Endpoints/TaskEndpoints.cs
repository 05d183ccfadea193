using Delivery.Contracts.Api;
using Delivery.Gate.Endpoints.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Delivery.Gate.Endpoints;

/// <summary>
/// Spinnaker's ad-hoc tasks: <c>POST /applications/{app}/tasks</c> starts one (an orchestration, e.g.
/// a resize from the clusters view), <c>GET /tasks/{id}</c> reads it with its stages and status.
/// </summary>
public static class TaskEndpoints
{
    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/applications").WithTags("tasks").MapPost("/{app}/tasks", Start)
            .Takes<TaskRequest>().Replies<TaskAccepted>(StatusCodes.Status202Accepted);
        routes.MapGroup("/tasks").WithTags("tasks").MapGet("/{id}", (HttpContext http, string id) => GateRequests.SendAsync(http, new GetExecution(id)))
            .Replies<PipelineExecution>(StatusCodes.Status200OK, StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> Start(HttpContext http, string app)
    {
        var (body, _, problem) = await GateRequests.ReadObjectAsync(http.Request, "The task");
        return problem ?? await GateRequests.SendAsync(http, new StartOrchestration(app, body!, GateRequests.User(http)));
    }
}
