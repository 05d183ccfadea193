using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Pipelines;
using MassTransit;

namespace Delivery.Orchestrator.Api;

public sealed class PipelineConfigsApiConsumer(
    IPipelineConfigStore configs,
    IApplicationStore applications,
    PipelineValidator validator,
    TimeProvider time)
    : IConsumer<GetPipelineConfigs>, IConsumer<GetPipelineConfig>, IConsumer<SavePipelineConfig>, IConsumer<DeletePipelineConfig>
{
    public async Task Consume(ConsumeContext<GetPipelineConfigs> context)
    {
        var list = await configs.ListAsync(context.Message.Application.ToLowerInvariant());
        await context.RespondAsync(ApiResponse.Ok(new JsonArray([.. list]).ToJsonString()));
    }

    public async Task Consume(ConsumeContext<GetPipelineConfig> context)
    {
        var (app, name) = (context.Message.Application.ToLowerInvariant(), context.Message.Name);
        await context.RespondAsync(await configs.GetAsync(app, name) is { } config
            ? ApiResponse.Ok(config.ToJsonString())
            : ApiResponse.Problem(404, $"Pipeline '{name}' of application '{app}' was not found."));
    }

    public async Task Consume(ConsumeContext<SavePipelineConfig> context)
    {
        var (config, error) = JsonRequests.ParseObject(context.Message.Json, "The pipeline");
        if (config is null)
        {
            await context.RespondAsync(ApiResponse.Problem(400, error!));
            return;
        }
        var errors = validator.Validate(config);
        if (errors.Count > 0)
        {
            await context.RespondAsync(ApiResponse.Problem(400, string.Join(" ", errors)));
            return;
        }
        var application = config["application"]!.GetValue<string>().ToLowerInvariant();
        config["application"] = application;
        var name = config["name"]!.GetValue<string>();
        var existing = await configs.GetAsync(application, name);
        config["id"] = existing?["id"]?.DeepClone() ?? PipelineValidator.Scalar(config["id"]) ?? Guid.NewGuid().ToString();
        config["updateTs"] = time.NowMs().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ApplicationsApiConsumer.EnsureExistsAsync(applications, application, time.NowMs());
        await configs.SaveAsync(config);
        await context.RespondAsync(ApiResponse.Ok(config.ToJsonString()));
    }

    public async Task Consume(ConsumeContext<DeletePipelineConfig> context)
    {
        var (app, name) = (context.Message.Application.ToLowerInvariant(), context.Message.Name);
        await context.RespondAsync(await configs.DeleteAsync(app, name)
            ? new ApiResponse(204, null, null)
            : ApiResponse.Problem(404, $"Pipeline '{name}' of application '{app}' was not found."));
    }
}
