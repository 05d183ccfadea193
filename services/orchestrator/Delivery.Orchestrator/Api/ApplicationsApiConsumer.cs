using Delivery.ServiceDefaults;
using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Delivery.Orchestrator.Api;

public sealed class ApplicationsApiConsumer(IApplicationStore applications, TimeProvider time, ILogger<ApplicationsApiConsumer> logger)
    : IConsumer<GetApplications>, IConsumer<GetApplication>, IConsumer<SaveApplication>,
    IApiQueryHandler<GetApplications>, IApiQueryHandler<GetApplication>
{
    public Task Consume(ConsumeContext<GetApplications> context) => ApiGuard.RespondAsync(context, logger, "The application list", ListAsync);

    public Task Consume(ConsumeContext<GetApplication> context) => ApiGuard.RespondAsync(context, logger, "The application", () => GetAsync(context.Message));

    Task<ApiReply> IApiQueryHandler<GetApplications>.AnswerAsync(GetApplications query, CancellationToken cancellationToken) =>
        ApiGuard.AnswerAsync(logger, "The application list", ListAsync);

    Task<ApiReply> IApiQueryHandler<GetApplication>.AnswerAsync(GetApplication query, CancellationToken cancellationToken) =>
        ApiGuard.AnswerAsync(logger, "The application", () => GetAsync(query));

    private async Task<ApiReply> ListAsync()
    {
        var all = await applications.ListAsync();
        return ApiReply.Ok(new JsonArray([.. all]).ToJsonString());
    }

    private async Task<ApiReply> GetAsync(GetApplication message)
    {
        var name = message.Name.ToLowerInvariant();
        return await applications.GetAsync(name) is { } app
            ? ApiReply.Ok(app.ToJsonString())
            : ApiReply.NotFound($"Application '{name}' was not found.");
    }

    public Task Consume(ConsumeContext<SaveApplication> context) => ApiGuard.RespondAsync(context, logger, "The application", () => SaveAsync(context.Message));

    private async Task<ApiReply> SaveAsync(SaveApplication message)
    {
        var (body, error) = StrictJson.ParseObject(message.Json, "The application");
        if (body is null)
        {
            return ApiReply.Invalid(error!);
        }
        var name = (body["name"] as JsonValue)?.TryGetValue(out string? n) == true ? n!.ToLowerInvariant() : null;
        if (name is null || !ApplicationNames.IsValid(name))
        {
            return ApiReply.Invalid($"'name' is required: {ApplicationNames.Rule}.");
        }
        if (body["permissions"] is { } permissions && permissions is not JsonObject)
        {
            return ApiReply.Invalid("'permissions' must be an object such as {\"READ\":[\"team\"],\"WRITE\":[\"team\"]}.");
        }
        var existing = await applications.GetAsync(name);
        var now = time.NowMs();
        body["name"] = name;
        body["createTs"] = existing?["createTs"]?.DeepClone() ?? now;
        body["updateTs"] = now;
        await applications.SaveAsync(body);
        return ApiReply.Ok(body.ToJsonString());
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
