using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Api;
using Delivery.Orchestrator.Callbacks;
using Delivery.Orchestrator.Consumers;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Engine.Handlers;
using Delivery.Orchestrator.Expressions;

using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Pipelines;
using Delivery.Orchestrator.Stages;
using Delivery.Orchestrator.Tasks;
using Delivery.Orchestrator.Timers;
using Delivery.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Telemetry;

namespace Delivery.Orchestrator;

public static class OrchestratorExtensions
{
    /// <summary>The queue every orchestrator replica consumes from (replicas compete for its messages).</summary>
    public const string Queue = "delivery-orchestrator";

    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OrchestratorOptions>().BindConfiguration(OrchestratorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var store = builder.Configuration.GetSection(DeliveryStoreOptions.Section).Get<DeliveryStoreOptions>() ?? new();
        if (store.Kind == StoreKind.Redis)
        {
            services.AddSingleton<RedisKeys>();
            services.AddSingleton<IExecutionStore, RedisExecutionStore>();
            services.AddSingleton<ITimerStore, RedisTimerStore>();
            services.AddSingleton<IPipelineConfigStore, RedisPipelineConfigStore>();
            services.AddSingleton<IApplicationStore, RedisApplicationStore>();
            services.AddSingleton<ILockStore, RedisLockStore>();
            services.AddSingleton<IPendingExecutionStore, RedisPendingExecutionStore>();
        }
        else
        {
            services.AddSingleton<IExecutionStore, InMemoryExecutionStore>();
            services.AddSingleton<ITimerStore, InMemoryTimerStore>();
            services.AddSingleton<IPipelineConfigStore, InMemoryPipelineConfigStore>();
            services.AddSingleton<IApplicationStore, InMemoryApplicationStore>();
            services.AddSingleton<ILockStore, InMemoryLockStore>();
            services.AddSingleton<IPendingExecutionStore, InMemoryPendingExecutionStore>();
        }

        services.AddStage<WaitStage>(t => t.AddTask<WaitTask>());
        services.AddStage<ManualJudgmentStage>(t => t.AddTask<ManualJudgmentTask>());
        services.AddStage<EvaluateVariablesStage>(t => t.AddTask<EvaluateVariablesTask>());
        services.AddGenericStages(builder.Configuration);
        services.AddSingleton<StageDefinitionRegistry>();
        services.AddSingleton<TaskRegistry>();
        services.AddSingleton<TaskMessageTypes>();

        services.AddSingleton(new ExpressionEvaluator());
        services.AddSingleton<IStageExpressions, StageExpressions>();
        services.AddSingleton<PipelineValidator>();
        services.AddSingleton<ExecutionFactory>();
        services.AddMetrics();
        services.AddSingleton<EngineMetrics>();
        services.AddSingleton<StageTransitions>();
        services.AddSingleton<ConcurrencySlots>();
        services.AddSingleton<StartExecutionHandler>();
        services.AddSingleton<StartStageHandler>();
        services.AddSingleton<StartTaskHandler>();
        services.AddSingleton<RunTaskHandler>();
        services.AddSingleton<CompleteTaskHandler>();
        services.AddSingleton<CompleteStageHandler>();
        services.AddSingleton<ContinueParentStageHandler>();
        services.AddSingleton<CompleteExecutionHandler>();
        services.AddSingleton<CancelExecutionHandler>();
        services.AddSingleton<PauseExecutionHandler>();
        services.AddSingleton<ResumeExecutionHandler>();
        services.AddSingleton<RestartStageHandler>();
        services.AddSingleton<SkipStageHandler>();
        services.AddSingleton<UpdateStageHandler>();
        services.AddSingleton<DeliverTaskCallbackHandler>();
        services.AddSingleton<ReviveExecutionHandler>();
        services.AddSingleton(typeof(TaskCallbackConsumer<>));
        services.AddSingleton<EngineHandlers>();
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<UnappliedMessages>();
        services.AddSingleton<ExecutionEngine>();
        services.AddHostedService<OutboxSweeper>();
        services.AddSingleton<ZombieSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ZombieSweeper>());
        services.AddSingleton<TimerDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<TimerDispatcher>());

        services.AddDeliveryConsumers(x =>
        {
            AddEngineConsumer<StartExecution>(x);
            AddEngineConsumer<StartStage>(x);
            AddEngineConsumer<StartTask>(x);
            AddEngineConsumer<RunTask>(x);
            AddEngineConsumer<CompleteTask>(x);
            AddEngineConsumer<CompleteStage>(x);
            AddEngineConsumer<ContinueParentStage>(x);
            AddEngineConsumer<CompleteExecution>(x);
            x.AddConsumer<StartWaitingExecutionsConsumer>().Endpoint(e => e.Name = Queue);
            x.AddConsumer<RetentionConsumer>().Endpoint(e => e.Name = Queue);
            x.AddConfigureEndpointsCallback((context, queue, endpoint) =>
            {
                if (queue == Queue)
                {
                    TaskCallbackEndpoints.Configure(context, endpoint);
                }
            });
        });
        services.AddDeliveryRequestConsumers(x =>
        {
            AddEngineConsumer<CancelExecution>(x);
            AddEngineConsumer<PauseExecution>(x);
            AddEngineConsumer<ResumeExecution>(x);
            AddEngineConsumer<RestartStage>(x);
            AddEngineConsumer<SkipStage>(x);
            AddEngineConsumer<UpdateStage>(x);
            x.AddConsumer<ApplicationsApiConsumer>().Endpoint(e => e.Name = Queue);
            x.AddConsumer<PipelineConfigsApiConsumer>().Endpoint(e => e.Name = Queue);
            x.AddConsumer<ExecutionsApiConsumer>().Endpoint(e => e.Name = Queue);
            x.AddConsumer<OrchestrationsApiConsumer>().Endpoint(e => e.Name = Queue);
        });
        services.AddApiQueryHandler<GetApplications, ApplicationsApiConsumer>();
        services.AddApiQueryHandler<GetApplication, ApplicationsApiConsumer>();
        services.AddApiQueryHandler<GetPipelineConfigs, PipelineConfigsApiConsumer>();
        services.AddApiQueryHandler<GetPipelineConfig, PipelineConfigsApiConsumer>();
        services.AddApiQueryHandler<GetExecution, ExecutionsApiConsumer>();
        services.AddApiQueryHandler<GetApplicationExecutions, ExecutionsApiConsumer>();
        services.AddApiQueryHandler<GetPipelineExecutions, ExecutionsApiConsumer>();
        return builder;
    }

    private static void AddEngineConsumer<T>(IRegistrationConfigurator x) where T : class =>
        x.AddConsumer<EngineConsumer<T>>().Endpoint(e => e.Name = Queue);
}
