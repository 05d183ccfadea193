using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Delivery.Contracts.Api;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using MassTransit;

namespace Delivery.Orchestrator.Api;

public sealed partial class ApplicationsApiConsumer(IApplicationStore applications, TimeProvider time)
    : IConsumer<GetApplications>, IConsumer<GetApplication>, IConsumer<SaveApplication>
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,127}$")]
    private static partial Regex ValidName();

    public async Task Consume(ConsumeContext<GetApplications> context)
    {
        var all = await applications.ListAsync();
        await context.RespondAsync(ApiResponse.Ok(new JsonArray([.. all]).ToJsonString()));
    }

    public async Task Consume(ConsumeContext<GetApplication> context)
    {
        var name = context.Message.Name.ToLowerInvariant();
        await context.RespondAsync(await applications.GetAsync(name) is { } app
            ? ApiResponse.Ok(app.ToJsonString())
            : ApiResponse.Problem(404, $"Application '{name}' was not found."));
    }

    public async Task Consume(ConsumeContext<SaveApplication> context)
    {
        var (body, error) = JsonRequests.ParseObject(context.Message.Json, "The application");
        if (body is null)
        {
            await context.RespondAsync(ApiResponse.Problem(400, error!));
            return;
        }
        var name = (body["name"] as JsonValue)?.TryGetValue(out string? n) == true ? n!.ToLowerInvariant() : null;
        if (name is null || !ValidName().IsMatch(name))
        {
            await context.RespondAsync(ApiResponse.Problem(400, "'name' is required: letters, digits, '.', '_' or '-', starting with a letter or digit."));
            return;
        }
        if (body["permissions"] is { } permissions && permissions is not JsonObject)
        {
            await context.RespondAsync(ApiResponse.Problem(400, "'permissions' must be an object such as {\"READ\":[\"team\"],\"WRITE\":[\"team\"]}."));
            return;
        }
        var existing = await applications.GetAsync(name);
        var now = time.NowMs();
        body["name"] = name;
        body["createTs"] = existing?["createTs"]?.DeepClone() ?? now;
        body["updateTs"] = now;
        await applications.SaveAsync(body);
        await context.RespondAsync(ApiResponse.Ok(body.ToJsonString()));
    }

    /// <summary>Creates a bare application record when a pipeline is saved for an application nobody created.</summary>
    public static async Task EnsureExistsAsync(IApplicationStore applications, string name, long now)
    {
        if (await applications.GetAsync(name) is null)
        {
            await applications.SaveAsync(new JsonObject { ["name"] = name, ["createTs"] = now, ["updateTs"] = now });
        }
    }
}
