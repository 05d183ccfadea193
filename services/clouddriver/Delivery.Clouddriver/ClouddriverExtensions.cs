using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Api;
using Delivery.Clouddriver.Distributed;
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

    /// <summary>The queue of local operations, consumed only by the replica hosting the local cloud (<see cref="LocalOperationsEndpoint"/>).</summary>
    public const string LocalQueue = "delivery-clouddriver-local";

    /// <summary>The operation commands clouddriver consumes.</summary>
    public static readonly IReadOnlyList<Type> OperationTypes =
    [
        typeof(CreateServerGroup), typeof(ResizeServerGroup), typeof(EnableServerGroup), typeof(DisableServerGroup),
        typeof(DestroyServerGroup), typeof(TerminateInstances), typeof(UpsertLoadBalancer), typeof(DeleteLoadBalancer),
    ];

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
        services.AddOptions<DistributedOptions>().BindConfiguration(DistributedOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.InventoryRefreshMs < o.InventoryTtlSeconds * 1000L, "InventoryRefreshMs must be shorter than InventoryTtlSeconds, or cached views expire between refreshes.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ClouddriverReplica>();
        services.AddSingleton<LocalCloud>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalCloud>());

        var store = builder.Configuration.GetSection(DeliveryStoreOptions.Section).Get<DeliveryStoreOptions>() ?? new();
        if (store.Kind == StoreKind.Redis)
        {
            services.AddSingleton<ClouddriverRedisKeys>();
            services.AddSingleton<ISequenceStore, RedisSequenceStore>();
            services.AddSingleton<IOperationLog, RedisOperationLog>();
            // Started after LocalCloud, so stopped before it: the host hands its lease over only once its processes are gone.
            services.AddSingleton<RedisLocalCloudLease>();
            services.AddSingleton<ILocalCloudHosting>(sp => sp.GetRequiredService<RedisLocalCloudLease>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisLocalCloudLease>());
            services.AddSingleton<RedisLocalInventory>();
            services.AddSingleton<ILocalInventory>(sp => sp.GetRequiredService<RedisLocalInventory>());
            services.AddHostedService<LocalInventoryAgent>();
            services.AddSingleton<LocalCloudAdoption>();
            services.AddSingleton<LocalOperationsEndpoint>();
        }
        else
        {
            services.AddSingleton<ISequenceStore, InMemorySequenceStore>();
            services.AddSingleton<IOperationLog, InMemoryOperationLog>();
            services.AddSingleton<ILocalCloudHosting, SingleProcessHosting>();
            services.AddSingleton<ILocalInventory, LiveLocalInventory>();
        }

        services.AddSingleton<ICloudProvider, LocalCloudProvider>();
        services.AddSingleton<AccountRegistry>();
        services.AddSingleton<OperationRunner>();

        services.AddDeliveryConsumers(x =>
        {
            foreach (var type in OperationTypes)
            {
                x.AddConsumer(typeof(OperationConsumer<>).MakeGenericType(type)).Endpoint(e => e.Name = Queue);
            }
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
}
