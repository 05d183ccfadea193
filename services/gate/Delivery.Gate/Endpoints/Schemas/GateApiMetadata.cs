using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Delivery.Gate.Endpoints.Schemas;

/// <summary>
/// What the OpenAPI document says of gate's endpoints. Handlers pass the orchestrator's JSON
/// through as text, so the shapes are declared here rather than inferred from return types.
/// </summary>
internal static class GateApiMetadata
{
    private const string Json = "application/json";

    /// <summary>
    /// Answers <typeparamref name="T"/> with <paramref name="status"/>, or one of
    /// <paramref name="problems"/>; every endpoint that asks the orchestrator may also fail (500)
    /// or find it not answering in time (504).
    /// </summary>
    public static RouteHandlerBuilder Replies<T>(this RouteHandlerBuilder endpoint, int status, params int[] problems) =>
        endpoint.Produces<T>(status, Json).Problems([.. problems, StatusCodes.Status500InternalServerError, StatusCodes.Status504GatewayTimeout]);

    /// <summary>Answers 204 with no body on success.</summary>
    public static RouteHandlerBuilder RepliesNothing(this RouteHandlerBuilder endpoint, params int[] problems) =>
        endpoint.Produces(StatusCodes.Status204NoContent).Problems([.. problems, StatusCodes.Status500InternalServerError, StatusCodes.Status504GatewayTimeout]);

    /// <summary>Takes a JSON body of <typeparamref name="T"/>; a body that is not one JSON object is a 400, one too large a 413.</summary>
    public static RouteHandlerBuilder Takes<T>(this RouteHandlerBuilder endpoint, bool optional = false) where T : notnull =>
        endpoint.Accepts<T>(optional, Json).Problems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);

    private static RouteHandlerBuilder Problems(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses.Distinct())
        {
            endpoint.ProducesProblem(status);
        }
        return endpoint;
    }

    /// <summary>
    /// The handlers' <c>Results&lt;ContentHttpResult, NoContent, ...&gt;</c> type puts 204 on every
    /// endpoint, but only the orchestrator's "done" reply (deleting a pipeline config) becomes a
    /// 204: an endpoint that answers with a body never does.
    /// </summary>
    public static Task DropImpliedNoContent(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses is { } responses && responses.Keys.Any(status => status.StartsWith('2') && status != "204"))
        {
            responses.Remove("204");
        }
        return Task.CompletedTask;
    }
}
