using Delivery.Clouddriver.Kubernetes.Accounts;
using Delivery.Clouddriver.Kubernetes.Api;
using Delivery.Clouddriver.Kubernetes.Contracts;
using Delivery.Clouddriver.Kubernetes.Inventory;
using Delivery.Clouddriver.Kubernetes.Operations;
using Delivery.Clouddriver.Operations;
using Delivery.Clouddriver.Providers;
using Delivery.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Kubernetes;

public static class KubernetesProviderExtensions
{
    /// <summary>
    /// The <c>kubernetes</c> provider: its accounts (added to clouddriver's, from <c>Delivery:Clouddriver:Kubernetes:Accounts</c>),
    /// health probes, the watch-based inventory, and the manifest operations on clouddriver's queue. Call with <c>AddClouddriver()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddKubernetesProvider(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<KubernetesProviderOptions>().BindConfiguration(KubernetesProviderOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Accounts.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count() == o.Accounts.Count, "Kubernetes account names must be unique.")
            .Validate(o => o.Accounts.All(a => System.Text.RegularExpressions.Regex.IsMatch(a.Name, "^[a-zA-Z0-9._-]{1,64}$")),
                "Every Kubernetes account needs a name (1..64 letters, digits, '.', '_' or '-').")
            .Validate(o => !o.Accounts.Any(a => a.ServiceAccount && a.KubeconfigFile.Length > 0),
                "A Kubernetes account uses either a kubeconfigFile or the pod's service account (serviceAccount: true), not both.")
            .ValidateOnStart();
        services.AddOptions<ClouddriverOptions>().PostConfigure<IOptions<KubernetesProviderOptions>>((clouddriver, kubernetes) =>
            clouddriver.Accounts.AddRange(kubernetes.Value.Accounts.Select(a => new AccountOptions { Name = a.Name, CloudProvider = KubernetesCloudProvider.Name })));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<KubernetesAccounts>();
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesAccounts>());
        services.AddSingleton<KubernetesInventory>();
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesInventory>());
        services.AddSingleton<OperationProgress>();
        services.AddSingleton<ManifestWaiter>();
        services.AddSingleton<TrafficSwitch>();
        services.AddSingleton<Deployer>();
        services.AddSingleton<ManifestActions>();
        services.AddSingleton<KubernetesCloudProvider>();
        services.AddSingleton<ICloudProvider>(sp => sp.GetRequiredService<KubernetesCloudProvider>());
        services.AddSingleton<IProviderOperations, KubernetesOperations>();
        services.AddDeliveryConsumers(x =>
        {
            x.AddConsumer<OperationConsumer<DeployManifest>>().Endpoint(e => e.Name = ClouddriverExtensions.Queue);
            x.AddConsumer<OperationConsumer<ManifestOperation>>().Endpoint(e => e.Name = ClouddriverExtensions.Queue);
        });
        services.AddDeliveryRequestConsumers(x => x.AddConsumer<ManifestProgressConsumer>().Endpoint(e => e.Name = ManifestProgressConsumer.Queue));
        return builder;
    }

    /// <summary><c>GET /manifests/{account}/{namespace}/{kind name}</c>: the live manifest, its status and events.</summary>
    public static WebApplication MapKubernetesProvider(this WebApplication app)
    {
        Api.ManifestEndpoints.Map(app);
        return app;
    }
}
