using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Api;
using Delivery.Clouddriver.Local;
using Delivery.Clouddriver.Naming;
using Delivery.Clouddriver.Operations;
using Delivery.Clouddriver.Providers;
using Delivery.Contracts.Clouddriver;
using Delivery.ServiceDefaults;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Delivery.Clouddriver;

public static class ClouddriverExtensions
{
    /// <summary>The queue every clouddriver replica consumes operation commands from.</summary>
    public const string Queue = "delivery-clouddriver";

    /// <summary>The queue clouddriver answers inventory requests (<see cref="GetClusterServerGroups"/>) on.</summary>
    public const string InventoryQueue = "delivery-clouddriver-inventory";

    /// <summary>Accounts, providers, stores and the operation consumers; call after <c>AddServiceDefaults()</c>.</summary>
    public static IHostApplicationBuilder AddClouddriver(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClouddriverOptions>().BindConfiguration(ClouddriverOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Accounts.All(a => System.Text.RegularExpressions.Regex.IsMatch(a.Name, "^[a-zA-Z0-9._-]{1,64}$")), "Account names are 1..64 letters, digits, '.', '_' or '-'.")
            .ValidateOnStart();
        services.AddOptions<LocalProviderOptions>().BindConfiguration(LocalProviderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var store = builder.Configuration.GetSection(DeliveryStoreOptions.Section).Get<DeliveryStoreOptions>() ?? new();
        if (store.Kind == StoreKind.Redis)
        {
            services.AddSingleton<ClouddriverRedisKeys>();
            services.AddSingleton<ISequenceStore, RedisSequenceStore>();
            services.AddSingleton<IOperationLog, RedisOperationLog>();
        }
        else
        {
            services.AddSingleton<ISequenceStore, InMemorySequenceStore>();
            services.AddSingleton<IOperationLog, InMemoryOperationLog>();
        }

        services.AddSingleton<LocalCloud>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalCloud>());
        services.AddSingleton<ICloudProvider, LocalCloudProvider>();
        services.AddSingleton<AccountRegistry>();
        services.AddSingleton<OperationRunner>();

        services.AddDeliveryConsumers(x =>
        {
            AddOperation<CreateServerGroup>(x);
            AddOperation<ResizeServerGroup>(x);
            AddOperation<EnableServerGroup>(x);
            AddOperation<DisableServerGroup>(x);
            AddOperation<DestroyServerGroup>(x);
            AddOperation<TerminateInstances>(x);
            AddOperation<UpsertLoadBalancer>(x);
            AddOperation<DeleteLoadBalancer>(x);
        });
        // Its own queue: inventory reads must not wait behind operations that take seconds.
        services.AddDeliveryRequestConsumers(x => x.AddConsumer<ClusterServerGroupsConsumer>().Endpoint(e => e.Name = InventoryQueue));
        return builder;
    }

    /// <summary>The read API and the direct operation endpoint.</summary>
    public static WebApplication MapClouddriver(this WebApplication app)
    {
        app.MapInventoryEndpoints();
        app.MapOperationEndpoints();
        return app;
    }

    private static void AddOperation<T>(IRegistrationConfigurator x) where T : class, IClouddriverOperation =>
        x.AddConsumer<OperationConsumer<T>>().Endpoint(e => e.Name = Queue);
}
