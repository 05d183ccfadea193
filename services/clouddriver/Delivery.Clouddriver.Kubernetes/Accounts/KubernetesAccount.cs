using Delivery.Clouddriver.Kubernetes.Api;
using k8s;
using Microsoft.Extensions.Configuration;

namespace Delivery.Clouddriver.Kubernetes.Accounts;

/// <summary>
/// One configured cluster: its client (the official KubernetesClient, from the kubeconfig file and context, or for an
/// in-cluster account from the pod's service account, <see cref="InClusterConfig"/>) and its health. An account whose
/// kubeconfig or service account cannot be read, or whose cluster does not answer, is unhealthy with the reason; the
/// others keep working.
/// </summary>
public sealed class KubernetesAccount : IDisposable
{
    internal KubernetesAccount(KubernetesAccountOptions options, KubernetesProviderOptions provider, IConfiguration environment)
    {
        Name = options.Name;
        Namespaces = [.. options.Namespaces];
        try
        {
            var config = options.InCluster
                ? InClusterConfig.Build(provider.ServiceAccountDirectory, environment)
                : KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigFile, options.Context);
            config.HttpClientTimeout = Timeout.InfiniteTimeSpan;
            DefaultNamespace = config.Namespace is { Length: > 0 } ns ? ns : "default";
            Client = new k8s.Kubernetes(config);
            Api = new KubeApi(Client, TimeSpan.FromSeconds(provider.RequestTimeoutSeconds));
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            UnhealthyReason = options.InCluster
                ? $"The pod's service account ({provider.ServiceAccountDirectory}) cannot be used: {e.Message}"
                : $"The kubeconfig '{options.KubeconfigFile}' (context '{options.Context}') cannot be used: {e.Message}";
        }
    }

    public string Name { get; }

    /// <summary>The allow-list of namespaces; empty: all.</summary>
    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>The kubeconfig context's namespace (an in-cluster account: the pod's), else <c>default</c>.</summary>
    public string DefaultNamespace { get; } = "default";

    /// <summary>The official client; null when the kubeconfig could not be read.</summary>
    public k8s.Kubernetes? Client { get; }

    /// <summary>Raw resource access through <see cref="Client"/>; null when the kubeconfig could not be read.</summary>
    public KubeApi? Api { get; }

    /// <summary>Why the account cannot be used now; null when healthy.</summary>
    public string? UnhealthyReason { get; internal set; }

    /// <summary>Whether the account may use the namespace.</summary>
    public bool Allows(string ns) => Namespaces.Count == 0 || Namespaces.Contains(ns, StringComparer.Ordinal);

    /// <summary>The API, or an unavailable-account failure naming the reason.</summary>
    public KubeApi RequireApi() => UnhealthyReason is null && Api is not null
        ? Api
        : throw Delivery.Clouddriver.Operations.OperationException.Failed($"Kubernetes account '{Name}' is unhealthy: {UnhealthyReason}");

    public void Dispose() => Client?.Dispose();
}
