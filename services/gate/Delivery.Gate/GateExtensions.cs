using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Gate.Endpoints;
using Delivery.Gate.Endpoints.Schemas;
using Delivery.Gate.Events;
using Delivery.Gate.Proxy;
using Delivery.ServiceDefaults;
using MassTransit;
using Scalar.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Delivery.Gate;

public static class GateExtensions
{
    /// <summary>The name of gate's OpenAPI document.</summary>
    public const string OpenApiDocument = "v1";

    /// <summary>Where gate serves its OpenAPI document: <c>/openapi/v1.json</c>.</summary>
    public const string OpenApiRoute = "/openapi/{documentName}.json";

    /// <summary>Where gate serves the browsable API reference (Scalar).</summary>
    public const string ReferenceRoute = "/scalar";

    public static IHostApplicationBuilder AddGate(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GateOptions>().BindConfiguration(GateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddGateProblemDetails();
        builder.Services.AddServiceProxy();
        builder.Services.AddOptions<EventStreamOptions>().BindConfiguration(EventStreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventHub>();
        builder.Services.AddDeliveryFanOutConsumer<ExecutionEventConsumer>();
        // A route or query value of the wrong form is the client's mistake: a 400 problem, never an exception page.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        builder.Services.AddOpenApi(OpenApiDocument, o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Delivery gate";
                document.Info.Description = "Spinnaker-compatible API of Delivery: applications, pipeline configs, triggers and executions. Errors are RFC 9457 problem details.";
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(GateApiMetadata.DropImpliedNoContent);
        });
        builder.Services.AddDeliveryConsumers(x =>
        {
            x.AddRequestClient<GetApplications>();
            x.AddRequestClient<GetApplication>();
            x.AddRequestClient<SaveApplication>();
            x.AddRequestClient<GetPipelineConfigs>();
            x.AddRequestClient<GetPipelineConfig>();
            x.AddRequestClient<SavePipelineConfig>();
            x.AddRequestClient<DeletePipelineConfig>();
            x.AddRequestClient<TriggerPipeline>();
            x.AddRequestClient<StartOrchestration>();
            x.AddRequestClient<GetExecution>();
            x.AddRequestClient<GetApplicationExecutions>();
            x.AddRequestClient<GetPipelineExecutions>();
            x.AddRequestClient<CancelExecution>();
            x.AddRequestClient<PauseExecution>();
            x.AddRequestClient<ResumeExecution>();
            x.AddRequestClient<RestartStage>();
            x.AddRequestClient<SkipStage>();
            x.AddRequestClient<UpdateStage>();
        });
        return builder;
    }

    public static WebApplication MapGate(this WebApplication app)
    {
        app.MapApplicationEndpoints();
        app.MapPipelineEndpoints();
        app.MapExecutionEndpoints();
        app.MapTaskEndpoints();
        app.MapOpenApi(OpenApiRoute);
        // Scalar serves its script from the package itself; its usage telemetry, AI agent, MCP link and
        // fonts from a CDN are turned off, so the page talks to gate and nothing else.
        app.MapScalarApiReference(ReferenceRoute, o => o
            .WithTitle("Delivery gate API")
            .WithOpenApiRoutePattern(OpenApiRoute)
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .DisableDefaultFonts());
        app.MapEventEndpoints();
        app.MapServiceProxy();
        app.MapGateUi();
        return app;
    }
}
