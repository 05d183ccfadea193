using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Gate.Endpoints;
using Delivery.Gate.Events;
using Delivery.ServiceDefaults;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Delivery.Gate;

public static class GateExtensions
{
    public static IHostApplicationBuilder AddGate(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GateOptions>().BindConfiguration(GateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddGateProblemDetails();
        builder.Services.AddOptions<EventStreamOptions>().BindConfiguration(EventStreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventHub>();
        builder.Services.AddDeliveryFanOutConsumer<ExecutionEventConsumer>();
        // A route or query value of the wrong form is the client's mistake: a 400 problem, never an exception page.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
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
        app.MapEventEndpoints();
        return app;
    }
}
