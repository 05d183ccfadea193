using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Clouddriver.Operations;
using Delivery.Contracts.Clouddriver;
using Delivery.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Delivery.Clouddriver.Api;

/// <summary>
/// <c>POST /clouddriver/ops/{type}</c>: runs one operation directly and answers when it finished
/// (tests, scripts). The body is the command's JSON; <c>operationId</c> may be left out. The bus is
/// the main path; this one answers 200 with the <see cref="OperationCompleted"/>, or a problem: 400
/// bad input, 404 something named does not exist, 422 the cloud could not do it.
/// </summary>
public static class OperationEndpoints
{
    /// <summary>Largest accepted body (characters).</summary>
    public const int MaxBodyChars = 1024 * 1024;

    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["createServerGroup"] = typeof(CreateServerGroup),
        ["resizeServerGroup"] = typeof(ResizeServerGroup),
        ["enableServerGroup"] = typeof(EnableServerGroup),
        ["disableServerGroup"] = typeof(DisableServerGroup),
        ["destroyServerGroup"] = typeof(DestroyServerGroup),
        ["terminateInstances"] = typeof(TerminateInstances),
        ["upsertLoadBalancer"] = typeof(UpsertLoadBalancer),
        ["deleteLoadBalancer"] = typeof(DeleteLoadBalancer),
    };

    // Strict: a missing required field, a null where none is allowed, or an unknown field is a 400 naming it.
    private static readonly JsonSerializerOptions Strict = new(JsonDefaults.Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static IEndpointRouteBuilder MapOperationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/clouddriver/ops/{type}", RunAsync);
        return app;
    }

    private static async Task<Results<Ok<OperationCompleted>, ProblemHttpResult>> RunAsync(string type, HttpRequest request, OperationRunner runner,
        IEnumerable<Providers.IProviderOperations> providerOperations, Accounts.AccountRegistry accounts, Local.ILocalCloudHosting hosting, CancellationToken cancellationToken)
    {
        var types = Types.Concat(providerOperations.SelectMany(p => p.Types)).ToDictionary(StringComparer.Ordinal);
        if (!types.TryGetValue(type, out var messageType))
        {
            return Problem(StatusCodes.Status404NotFound, $"Unknown operation type '{type}'; known: {string.Join(", ", types.Keys)}.");
        }
        var body = await ReadBoundedAsync(request, cancellationToken);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBodyChars} characters.");
        }
        var (json, error) = StrictJson.ParseObject(body, $"The {type} operation");
        if (json is null)
        {
            return Problem(StatusCodes.Status400BadRequest, error!);
        }
        json["operationId"] ??= Guid.NewGuid().ToString("N");
        IClouddriverOperation operation;
        try
        {
            operation = (IClouddriverOperation)json.Deserialize(messageType, Strict)!;
        }
        catch (JsonException e)
        {
            return Problem(StatusCodes.Status400BadRequest, $"The {type} operation is malformed: {e.Message}");
        }
        if (LocalRouting.RunsElsewhere(operation, accounts, hosting))
        {
            // Only the host has the local cloud's processes; the bus forwards such commands there, this endpoint cannot.
            return Problem(StatusCodes.Status503ServiceUnavailable,
                $"This clouddriver replica does not host the local cloud (replica {hosting.CurrentHost ?? "none yet"} does); send the operation over the bus or to that replica.");
        }
        var completed = await runner.RunAsync(operation, cancellationToken);
        if (completed.Succeeded)
        {
            return TypedResults.Ok(completed);
        }
        var kind = JsonNode.Parse(completed.ResultJson)?["errorKind"]?.GetValue<string>();
        var status = kind switch
        {
            "invalid" => StatusCodes.Status400BadRequest,
            "notFound" => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return TypedResults.Problem(statusCode: status, detail: completed.Error,
            extensions: new Dictionary<string, object?> { ["operationId"] = completed.OperationId });
    }

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(statusCode: status, detail: detail);

    private static async Task<string?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[8192];
        var text = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (text.Length + read > MaxBodyChars)
            {
                return null;
            }
            text.Append(buffer, 0, read);
        }
        return text.ToString();
    }
}
