using Delivery.Contracts.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Delivery.Gate.Endpoints;

public static class ApplicationEndpoints
{
    public static IEndpointRouteBuilder MapApplicationEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/applications").WithTags("applications");
        group.MapGet("/", (Delegate)((HttpContext http) => GateRequests.SendAsync(http, new GetApplications())));
        group.MapPost("/", (Delegate)SaveApplication);
        group.MapGet("/{app}", (HttpContext http, string app) => GateRequests.SendAsync(http, new GetApplication(app)));
        group.MapGet("/{app}/pipelineConfigs", (HttpContext http, string app) => GateRequests.SendAsync(http, new GetPipelineConfigs(app)));
        group.MapGet("/{app}/pipelineConfigs/{name}", (HttpContext http, string app, string name) => GateRequests.SendAsync(http, new GetPipelineConfig(app, name)));
        group.MapGet("/{app}/pipelines", (HttpContext http, string app, int? limit, string? statuses) =>
            GateRequests.SendAsync(http, new GetApplicationExecutions(app, limit ?? 10, statuses)));
        return routes;
    }

    private static async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> SaveApplication(HttpContext http)
    {
        var (body, problem) = await GateRequests.ReadBodyAsync(http.Request);
        return problem ?? await GateRequests.SendAsync(http, new SaveApplication(body!));
    }
}
