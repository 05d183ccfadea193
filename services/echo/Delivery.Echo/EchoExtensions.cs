using Delivery.Echo.Endpoints;
using Delivery.Echo.Index;
using Delivery.Echo.Notifications;
using Delivery.Echo.Orchestration;
using Delivery.Echo.Store;
using Delivery.Echo.Triggers;
using Delivery.Echo.Triggers.Cron;
using Delivery.ServiceDefaults;
using Delivery.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Echo;

public static class EchoExtensions
{
    /// <summary>Echo: the trigger index, the trigger endpoints, cron, and notifications driven by execution events.</summary>
    public static IHostApplicationBuilder AddEcho(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EchoOptions>().BindConfiguration(EchoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        var store = builder.Configuration.GetSection(DeliveryStoreOptions.Section).Get<DeliveryStoreOptions>() ?? new();
        if (store.Kind == StoreKind.Redis)
        {
            services.AddSingleton<IEchoStore>(sp => new RedisEchoStore(sp.GetRequiredService<IConnectionMultiplexer>(), store.KeyPrefix));
        }
        else
        {
            services.AddSingleton<IEchoStore, InMemoryEchoStore>();
        }
        services.AddSingleton<OrchestratorClient>();
        services.AddSingleton<TriggerIndex>();
        services.AddHostedService<TriggerIndexRefresher>();
        services.AddSingleton<TriggerLauncher>();
        services.AddSingleton<PipelineTriggerHandler>();
        services.AddHostedService<CronScheduler>();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.LinkSigningKey) || o.LinkSigningKey.Length >= 32, $"{NotificationOptions.Section}:LinkSigningKey must be at least 32 characters.")
            .Validate(o => Enum.TryParse<MailKit.Security.SecureSocketOptions>(o.Smtp.Security, true, out _), $"{NotificationOptions.Section}:Smtp:Security must be one of Auto, None, StartTls, StartTlsWhenAvailable, SslOnConnect.")
            .ValidateOnStart();
        services.AddHttpClient(SlackApi.ClientName);
        services.AddHttpClient(WebhookNotificationSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundHttpPolicy>().CreateHandler(allowAutoRedirect: false));
        services.AddSingleton<SlackApi>();
        services.AddSingleton<JudgmentLinks>();
        services.AddSingleton<SlackInteractions>();
        services.AddSingleton<ApplicationPreferences>();
        services.AddSingleton<INotificationSender, SlackNotificationSender>();
        services.AddSingleton<INotificationSender, EmailNotificationSender>();
        services.AddSingleton<INotificationSender, WebhookNotificationSender>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.AddSingleton<NotificationHandler>();
        services.AddDeliveryConsumers(x =>
        {
            OrchestratorClient.AddRequestClients(x);
            x.AddConsumer<EchoEventConsumer>();
        });
        services.AddDeliveryFanOutConsumer<PipelineConfigConsumer>();
        return builder;
    }

    public static WebApplication MapEcho(this WebApplication app)
    {
        app.MapTriggerEndpoints();
        app.MapNotificationEndpoints();
        return app;
    }
}
