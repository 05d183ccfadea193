using Delivery.Contracts.Api;
using Delivery.Gate.Endpoints.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Delivery.Gate.Endpoints;

public static class ApplicationEndpoints
{
    /// <summary>Executions listed when the caller gives no <c>limit</c>, as in Spinnaker.</summary>
    public const int DefaultExecutionLimit = 10;

    public static IEndpointRouteBuilder MapApplicationEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/applications").WithTags("applications");
        group.MapGet("/", (Delegate)((HttpContext http) => GateRequests.SendAsync(http, new GetApplications())))
            .Replies<Application[]>(StatusCodes.Status200OK);
        group.MapPost("/", (Delegate)SaveApplication)
            .Takes<Application>().Replies<Application>(StatusCodes.Status200OK);
        group.MapGet("/{app}", (HttpContext http, string app) => GateRequests.SendAsync(http, new GetApplication(app)))
            .Replies<Application>(StatusCodes.Status200OK, StatusCodes.Status404NotFound);
        group.MapGet("/{app}/pipelineConfigs", (HttpContext http, string app) => GateRequests.SendAsync(http, new GetPipelineConfigs(app)))
            .Replies<PipelineConfig[]>(StatusCodes.Status200OK);
        group.MapGet("/{app}/pipelineConfigs/{name}", (HttpContext http, string app, string name) => GateRequests.SendAsync(http, new GetPipelineConfig(app, name)))
            .Replies<PipelineConfig>(StatusCodes.Status200OK, StatusCodes.Status404NotFound);
        group.MapGet("/{app}/pipelines", GetExecutions)
            .Replies<PipelineExecution[]>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);
        return routes;
    }

    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> SaveApplication(HttpContext http)
    {
        var (body, _, problem) = await GateRequests.ReadObjectAsync(http.Request, "The application");
        return problem ?? await GateRequests.SendAsync(http, new SaveApplication(body!));
    }

    // limit is read as text so that "limit=lots" is a 400 that says so, not a binding failure.
    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> GetExecutions(HttpContext http, string app, string? limit, string? statuses)
    {
        var (count, problem) = GateRequests.ParseLimit(limit, DefaultExecutionLimit);
        return problem ?? await GateRequests.SendAsync(http, new GetApplicationExecutions(app, count, statuses));
    }
}
