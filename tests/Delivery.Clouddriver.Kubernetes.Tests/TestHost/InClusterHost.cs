using System.Globalization;
using Delivery.KubernetesTestServer;
using Microsoft.AspNetCore.Hosting;

namespace Delivery.Clouddriver.Kubernetes.Tests.TestHost;

/// <summary>
/// The standalone host with the Kubernetes accounts deploy/ gives clouddriver, read from the <c>delivery-config</c>
/// ConfigMap of <c>deploy/01-config.yaml</c> as the pod's environment gives them, against a test server that speaks HTTPS
/// and requires bearer tokens: the in-cluster account finds the API server in <c>KUBERNETES_SERVICE_HOST/PORT</c> and its
/// token, CA and namespace in <see cref="ServiceAccountDirectory"/>, written here as Kubernetes mounts them. Also
/// <c>kubernetes</c>, an account with a kubeconfig (its own token) and no namespace limits: the account
/// <c>deploy/pipeline/delivery.json</c> deploys Delivery with.
/// </summary>
public sealed class InClusterHost : KubernetesHost
{
    /// <summary>The service account's token when the host starts; the cluster accepts it.</summary>
    public const string ServiceAccountToken = "clouddriver-token-1";

    /// <summary>The token of the <c>kubernetes</c> account's kubeconfig.</summary>
    public const string AdminToken = "admin-token";

    /// <summary>Where the pod's service account is "mounted": <c>token</c>, <c>ca.crt</c>, <c>namespace</c>.</summary>
    public string ServiceAccountDirectory => Path.Combine(HostDirectory, "serviceaccount");

    /// <summary>The kubeconfig of the <c>kubernetes</c> account.</summary>
    public string AdminKubeconfig => Path.Combine(HostDirectory, "kubeconfig");

    /// <summary>Replaces the mounted token, as the kubelet does when it rotates it.</summary>
    public Task WriteTokenAsync(string token) => File.WriteAllTextAsync(Path.Combine(ServiceAccountDirectory, "token"), token);

    protected override KubernetesTestServerOptions ClusterOptions()
    {
        var options = base.ClusterOptions();
        options.Tls = true;
        options.BearerTokens = [ServiceAccountToken, AdminToken];
        options.Namespaces = ["default", "kube-system", "delivery-apps"];
        return options;
    }

    protected override async Task WriteCredentialsAsync()
    {
        Directory.CreateDirectory(ServiceAccountDirectory);
        await WriteTokenAsync(ServiceAccountToken);
        await File.WriteAllTextAsync(Path.Combine(ServiceAccountDirectory, "ca.crt"), Cluster.CertificateAuthorityPem);
        await File.WriteAllTextAsync(Path.Combine(ServiceAccountDirectory, "namespace"), "delivery");
        Cluster.WriteKubeconfig(AdminKubeconfig, token: AdminToken);
    }

    protected override void ConfigureAccounts(IWebHostBuilder builder)
    {
        var config = RepositoryFiles.DeployManifests().Single(m => m["kind"]!.GetValue<string>() == "ConfigMap" && m["metadata"]!["name"]!.GetValue<string>() == "delivery-config");
        foreach (var (key, value) in config["data"]!.AsObject().Where(d => d.Key.StartsWith("Delivery__Clouddriver__Kubernetes__", StringComparison.Ordinal)))
        {
            builder.UseSetting(key.Replace("__", ":", StringComparison.Ordinal), value!.ToString());
        }
        builder.UseSetting("KUBERNETES_SERVICE_HOST", Cluster.Url.Host);
        builder.UseSetting("KUBERNETES_SERVICE_PORT", Cluster.Url.Port.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:ServiceAccountDirectory", ServiceAccountDirectory);
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:HealthCheckIntervalSeconds", "1");
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:Accounts:1:Name", "kubernetes");
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:Accounts:1:KubeconfigFile", AdminKubeconfig);
    }
}

[CollectionDefinition(Name)]
public sealed class InClusterCollection : ICollectionFixture<InClusterHost>
{
    public const string Name = "in-cluster";
}
