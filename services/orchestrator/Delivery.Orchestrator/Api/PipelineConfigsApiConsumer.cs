using Delivery.ServiceDefaults;
using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Pipelines;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Delivery.Orchestrator.Api;

public sealed class PipelineConfigsApiConsumer(
    IPipelineConfigStore configs,
    IApplicationStore applications,
    PipelineValidator validator,
    TimeProvider time,
    IBus bus,
    ILogger<PipelineConfigsApiConsumer> logger)
    : IConsumer<GetPipelineConfigs>, IConsumer<GetPipelineConfig>, IConsumer<SavePipelineConfig>, IConsumer<DeletePipelineConfig>,
    IApiQueryHandler<GetPipelineConfigs>, IApiQueryHandler<GetPipelineConfig>
{
    public Task Consume(ConsumeContext<GetPipelineConfigs> context) => ApiGuard.RespondAsync(context, logger, "The pipeline list", () => ListAsync(context.Message));

    public Task Consume(ConsumeContext<GetPipelineConfig> context) => ApiGuard.RespondAsync(context, logger, "The pipeline", () => GetAsync(context.Message));

    Task<ApiReply> IApiQueryHandler<GetPipelineConfigs>.AnswerAsync(GetPipelineConfigs query, CancellationToken cancellationToken) =>
        ApiGuard.AnswerAsync(logger, "The pipeline list", () => ListAsync(query));

    Task<ApiReply> IApiQueryHandler<GetPipelineConfig>.AnswerAsync(GetPipelineConfig query, CancellationToken cancellationToken) =>
        ApiGuard.AnswerAsync(logger, "The pipeline", () => GetAsync(query));

    private async Task<ApiReply> ListAsync(GetPipelineConfigs message)
    {
        var list = await configs.ListAsync(message.Application.ToLowerInvariant());
        return ApiReply.Ok(new JsonArray([.. list]).ToJsonString());
    }

    private async Task<ApiReply> GetAsync(GetPipelineConfig message)
    {
        var (app, name) = (message.Application.ToLowerInvariant(), message.Name);
        return await configs.GetAsync(app, name) is { } config
            ? ApiReply.Ok(config.ToJsonString())
            : ApiReply.NotFound($"Pipeline '{name}' of application '{app}' was not found.");
    }

    public Task Consume(ConsumeContext<SavePipelineConfig> context) => ApiGuard.RespondAsync(context, logger, "The pipeline", () => SaveAsync(context.Message));

    public Task Consume(ConsumeContext<DeletePipelineConfig> context) => ApiGuard.RespondAsync(context, logger, "The pipeline", async () =>
    {
        var (app, name) = (context.Message.Application.ToLowerInvariant(), context.Message.Name);
        var id = PipelineValidator.Scalar((await configs.GetAsync(app, name))?["id"]);
        if (!await configs.DeleteAsync(app, name))
        {
            return ApiReply.NotFound($"Pipeline '{name}' of application '{app}' was not found.");
        }
        if (id is not null)
        {
            await PublishAsync(new PipelineConfigDeleted(app, id, name, time.NowMs()));
        }
        return ApiReply.Done();
    });

    private async Task<ApiReply> SaveAsync(SavePipelineConfig message)
    {
        var (config, error) = StrictJson.ParseObject(message.Json, "The pipeline");
        if (config is null)
        {
            return ApiReply.Invalid(error!);
        }
        // A pipeline saved again keeps its id, whatever the body says: the validator checks self-triggers against it.
        var existing = PipelineValidator.Scalar(config["application"]) is { } app && PipelineValidator.Scalar(config["name"]) is { } pipelineName
            ? await configs.GetAsync(app.ToLowerInvariant(), pipelineName)
            : null;
        // The validator normalizes what it accepts: application and name are strings, the application lower-case.
        var problems = validator.Check(config, PipelineValidator.Scalar(existing?["id"]));
        if (problems.Count > 0)
        {
            return ApiReply.Invalid(string.Join(" ", problems.Sentences), problems.Errors);
        }
        var application = config["application"]!.GetValue<string>();
        var name = config["name"]!.GetValue<string>();
        config["id"] = existing?["id"]?.DeepClone() ?? PipelineValidator.Scalar(config["id"]) ?? Guid.NewGuid().ToString();
        var now = time.NowMs();
        config["updateTs"] = now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ApplicationsApiConsumer.EnsureExistsAsync(applications, application, time.NowMs());
        await configs.SaveAsync(config);
        var json = config.ToJsonString();
        await PublishAsync(new PipelineConfigSaved(application, PipelineValidator.Scalar(config["id"])!, name, json, now));
        return ApiReply.Ok(json);
    }

    /// <summary>
    /// Tells other services (echo's trigger index) of a config change, through the bus: on the mediator a consume
    /// context would not reach it. The change is stored already, so a failed publish is logged, not answered:
    /// those services also reread the configs periodically.
    /// </summary>
    private async Task PublishAsync<T>(T change) where T : class
    {
        try
        {
            await bus.Publish(change);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not publish {Change}; other services see it on their next read of the configs.", typeof(T).Name);
        }
    }
}
