using Delivery.Orchestrator.Integrations.Jenkins;
using Delivery.Orchestrator.Integrations.Webhooks;
using Delivery.Orchestrator.Tasks;
using Delivery.Orchestrator.Tasks.ExecutionWindows;
using Delivery.Orchestrator.Tasks.Jenkins;
using Delivery.Orchestrator.Tasks.Pipelines;
using Delivery.Orchestrator.Tasks.Preconditions;
using Delivery.Orchestrator.Tasks.Webhooks;
using Delivery.ServiceDefaults;
using Delivery.ServiceDefaults.Http;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Stages;

/// <summary>
/// Registers the stage types that need no cloud: <c>checkPreconditions</c>, <c>webhook</c>, <c>pipeline</c>,
/// <c>jenkins</c> and <c>restrictExecutionDuringTimeWindow</c>, with their tasks, settings and HTTP clients.
/// </summary>
public static class GenericStagesExtensions
{
    public static IServiceCollection AddGenericStages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.RetryBackoff > TimeSpan.Zero && o.MaxRetryBackoff >= o.RetryBackoff && o.MonitorPollInterval > TimeSpan.Zero
                && o.SlowMonitorPollInterval > TimeSpan.Zero && o.RequestTimeout > TimeSpan.Zero && o.CreateTimeout > TimeSpan.Zero && o.MonitorTimeout > TimeSpan.Zero,
                $"{WebhookOptions.Section}: every interval must be positive and MaxRetryBackoff at least RetryBackoff.")
            .ValidateOnStart();
        services.AddOptions<JenkinsOptions>().Bind(configuration.GetSection(JenkinsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JenkinsOptions>, JenkinsOptionsValidator>();
        services.AddOptions<ExecutionWindowOptions>().Bind(configuration.GetSection(ExecutionWindowOptions.Section))
            .Validate(o => ExecutionWindowOptions.IsValidZone(o.TimeZone), $"{ExecutionWindowOptions.Section}:TimeZone is not a known time zone id.")
            .ValidateOnStart();

        services.AddHttpClient();
        services.AddHttpClient(WebhookHttp.ClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundHttpPolicy>().CreateHandler());
        services.AddHttpClient(JenkinsClient.HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<JenkinsOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundHttpPolicy>().CreateHandler(allowAutoRedirect: false));
        services.AddSingleton<JenkinsClient>();

        services.AddStage<CheckPreconditionsStage>(t => t.AddTask<CheckPreconditionsTask>());
        services.AddStage<WebhookStage>(t => t.AddTask<CreateWebhookTask>().AddTask<WaitBeforeMonitorWebhookTask>().AddTask<MonitorWebhookTask>());
        services.AddStage<PipelineStage>(t => t.AddTask<StartPipelineTask>().AddTask<MonitorPipelineTask>());
        services.AddStage<JenkinsStage>(t => t.AddTask<StartJenkinsJobTask>().AddTask<WaitForJenkinsJobStartTask>()
            .AddTask<MonitorJenkinsJobTask>().AddTask<GetJenkinsPropertyFileTask>());
        // Its jitter reuses the wait stage's waitTask.
        services.AddStage<RestrictExecutionWindowStage>(t => t.AddTask<SuspendExecutionDuringTimeWindowTask>());

        services.AddDeliveryConsumers(x => x.AddConsumer<ChildPipelineCompletedConsumer>().Endpoint(e => e.Name = OrchestratorExtensions.Queue));
        return services;
    }
}
