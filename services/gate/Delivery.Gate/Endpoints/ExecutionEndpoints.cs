using Delivery.Contracts.Api;
using Delivery.Gate.Endpoints.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Delivery.Gate.Endpoints;

/// <summary>Spinnaker's <c>GET /executions?pipelineConfigIds=...</c>: recent executions of given pipeline configs.</summary>
public static class ExecutionEndpoints
{
    public static IEndpointRouteBuilder MapExecutionEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/executions").WithTags("executions").MapGet("/", List)
            .Replies<PipelineExecution[]>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);
        return routes;
    }

    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> List(HttpContext http, string? pipelineConfigIds, string? limit, string? statuses)
    {
        if (string.IsNullOrWhiteSpace(pipelineConfigIds))
        {
            return TypedResults.Problem("'pipelineConfigIds' is required: a comma-separated list of pipeline config ids.", statusCode: StatusCodes.Status400BadRequest);
        }
        var (count, problem) = GateRequests.ParseLimit(limit, ApplicationEndpoints.DefaultExecutionLimit);
        return problem ?? await GateRequests.SendAsync(http, new GetPipelineExecutions(pipelineConfigIds, count, statuses));
    }
}
