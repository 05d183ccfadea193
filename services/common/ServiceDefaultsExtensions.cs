using Delivery.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Delivery.ServiceDefaults.Health;
using Delivery.ServiceDefaults.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Delivery.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>Options, JSON, problem details, health, metrics and traces, and (when configured) the Redis connection.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeliveryBusOptions>().BindConfiguration(DeliveryBusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DeliveryStoreOptions>().BindConfiguration(DeliveryStoreOptions.Section).ValidateOnStart();
        builder.Services.Configure<JsonOptions>(o => JsonDefaults.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        var health = builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: [HealthEndpoints.LiveTag]);
        builder.AddGracefulShutdown();
        builder.Services.AddSingleton(new BusRegistrations());
        builder.Services.AddOptions<OutboundHttpOptions>().BindConfiguration(OutboundHttpOptions.Section)
            .Validate(o => o.AllowedHosts.All(h => !h.Contains('/') || System.Net.IPNetwork.TryParse(h, out _)),
                $"{OutboundHttpOptions.Section}:AllowedHosts: an entry with '/' must be a network in CIDR form, e.g. 10.1.0.0/16.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboundHttpPolicy>();
        builder.AddDeliveryTelemetry();

        var store = builder.Configuration.GetSection(DeliveryStoreOptions.Section).Get<DeliveryStoreOptions>() ?? new();
        if (store.Kind == StoreKind.Redis)
        {
            builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectRedis(store.Redis));
            health.AddCheck<RedisHealthCheck>("redis", timeout: TimeSpan.FromSeconds(5));
        }
        return builder;
    }

    /// <summary>Registers consumers (and request clients) of one service; the host's <see cref="AddDeliveryBus"/> configures them.</summary>
    public static IServiceCollection AddDeliveryConsumers(this IServiceCollection services, Action<IBusRegistrationConfigurator> register)
    {
        Registrations(services).Actions.Add(register);
        return services;
    }

    /// <summary>
    /// Registers consumers that answer gate requests. Besides the bus, they are put on MassTransit's
    /// mediator, so that a gate hosted in the same process (standalone, or a replica running both)
    /// reaches them without a broker round trip or serializing every request and answer; a gate on
    /// its own has no such consumers and goes over the bus. Such consumers publish through
    /// <see cref="IBus"/>, never through their consume context, which on the mediator would not
    /// reach the bus.
    /// </summary>
    public static IServiceCollection AddDeliveryRequestConsumers(this IServiceCollection services, Action<IRegistrationConfigurator> register)
    {
        Registrations(services).RequestConsumers.Add(register);
        return services;
    }

    /// <summary>
    /// Lets a gate in the same process answer <typeparamref name="TQuery"/> by calling
    /// <typeparamref name="THandler"/> (scoped) directly; see <see cref="IApiQueryHandler{TQuery}"/>.
    /// </summary>
    public static IServiceCollection AddApiQueryHandler<TQuery, THandler>(this IServiceCollection services)
        where TQuery : class
        where THandler : class, IApiQueryHandler<TQuery>
    {
        services.TryAddScoped<THandler>();
        services.AddScoped<IApiQueryHandler<TQuery>>(sp => sp.GetRequiredService<THandler>());
        return services;
    }

    /// <summary>
    /// Registers a consumer that gets every message it consumes in every process, not one replica's
    /// share: a gate streaming events to its own clients, say. All such consumers of a process share one
    /// temporary receive endpoint with a name unique to the process (on RabbitMQ an auto-delete,
    /// non-durable queue bound to the messages' exchanges), which goes away with the process.
    /// </summary>
    public static IServiceCollection AddDeliveryFanOutConsumer<T>(this IServiceCollection services) where T : class, IConsumer
    {
        var registrations = Registrations(services);
        registrations.FanOutConsumers.Add(typeof(T));
        registrations.Actions.Add(x => x.AddConsumer<T>().ExcludeFromConfigureEndpoints());
        return services;
    }

    private static BusRegistrations Registrations(IServiceCollection services) =>
        services.Select(d => d.ImplementationInstance).OfType<BusRegistrations>().FirstOrDefault()
            ?? throw new InvalidOperationException("Call AddServiceDefaults() before adding a service.");

    /// <summary>Configures MassTransit once, with every consumer the services registered, over the configured transport.</summary>
    public static IHostApplicationBuilder AddDeliveryBus(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DeliveryBusOptions.Section).Get<DeliveryBusOptions>() ?? new();
        var registrations = builder.Services.Select(d => d.ImplementationInstance).OfType<BusRegistrations>().Single();
        if (options.Transport == BusTransport.RabbitMq)
        {
            builder.Services.AddHostedService<Health.BusStartWatchdog>();
        }
        builder.Services.AddMassTransit(x =>
        {
            // MassTransit 8.5 reports usage to its vendor after the bus starts unless told not to; nothing leaves unasked.
            x.DisableUsageTelemetry();
            x.AddConsumeObserver<BusMetrics.Observer>();
            foreach (var register in registrations.Actions)
            {
                register(x);
            }
            foreach (var register in registrations.RequestConsumers)
            {
                register(x);
            }
            if (options.Transport == BusTransport.RabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(options.Host, (ushort)options.Port, options.VirtualHost, h =>
                    {
                        h.Username(options.Username);
                        h.Password(options.Password);
                    });
                    cfg.PrefetchCount = options.PrefetchCount;
                    cfg.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                    ConfigureCommon(cfg);
                    ConfigureFanOut(cfg, context, registrations);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                    ConfigureCommon(cfg);
                    ConfigureFanOut(cfg, context, registrations);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        if (registrations.RequestConsumers.Count > 0)
        {
            builder.Services.AddMediator(m =>
            {
                foreach (var register in registrations.RequestConsumers)
                {
                    register(m);
                }
                m.ConfigureMediator((_, cfg) => cfg.UseMessageRetry(Retry));
            });
        }
        return builder;
    }

    private static void ConfigureFanOut(IBusFactoryConfigurator cfg, IBusRegistrationContext context, BusRegistrations registrations)
    {
        if (registrations.FanOutConsumers.Count == 0)
        {
            return;
        }
        cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), DefaultEndpointNameFormatter.Instance, e =>
        {
            foreach (var consumer in registrations.FanOutConsumers)
            {
                e.ConfigureConsumer(context, consumer);
            }
        });
    }

    private static void ConfigureCommon(IBusFactoryConfigurator cfg)
    {
        cfg.ConfigureJsonSerializerOptions(o => JsonDefaults.Configure(o));
        cfg.UseMessageRetry(Retry);
    }

    /// <summary>
    /// A store outage (Redis restarting) must delay work, never drop it into an error queue;
    /// a message that fails the same way every time is not worth retrying for minutes.
    /// </summary>
    private static void Retry(IRetryConfigurator r)
    {
        r.Exponential(30, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));
        r.Ignore<System.Text.Json.JsonException>();
        r.Ignore<ArgumentException>();
        r.Ignore<FormatException>();
        r.Ignore<InvalidCastException>();
        r.Ignore<KeyNotFoundException>();
        // A late answer to a request whose caller gave up (on the mediator) cannot be delivered by trying again.
        r.Ignore<MessageNotConsumedException>();
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Housekeeping for probes and scrapers, not part of any service's API document.
        HealthEndpoints.Map(app);
        app.MapDeliveryMetrics();
        return app;
    }

    private static ConnectionMultiplexer ConnectRedis(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 10;
        options.SyncTimeout = 5000;
        return ConnectionMultiplexer.Connect(options);
    }
}
