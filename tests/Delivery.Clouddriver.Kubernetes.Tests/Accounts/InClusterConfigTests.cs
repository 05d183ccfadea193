using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Accounts;
using Delivery.Clouddriver.Kubernetes.Inventory;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;
using Delivery.KubernetesTestServer.Storage;
using Microsoft.Extensions.Configuration;

namespace Delivery.Clouddriver.Kubernetes.Tests.Accounts;

/// <summary>
/// What an in-cluster account makes of the pod it runs in, the reason it is unhealthy outside one, and whether deploy/'s
/// RBAC lets it do its work.
/// </summary>
public sealed class InClusterConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("service-account-").FullName;

    [Fact]
    public void Outside_a_pod_an_in_cluster_account_is_unhealthy_with_what_is_missing()
    {
        using (var noEnvironment = Account(new Dictionary<string, string?>()))
        {
            Assert.Null(noEnvironment.Api);
            Assert.Contains("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT", noEnvironment.UnhealthyReason);
        }
        using var noToken = Account(Environment("10.0.0.1", "443"));
        Assert.Contains($"no service account token at {Path.Combine(_directory, "token")}", noToken.UnhealthyReason);
    }

    [Fact]
    public void The_account_reaches_the_service_address_over_https_in_the_pods_namespace()
    {
        File.WriteAllText(Path.Combine(_directory, "token"), "t");
        File.WriteAllText(Path.Combine(_directory, "namespace"), "delivery\n");
        using (var key = ECDsa.Create())
        using (var ca = new CertificateRequest("CN=ca", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1)))
        {
            File.WriteAllText(Path.Combine(_directory, "ca.crt"), ca.ExportCertificatePem());
        }
        using var account = Account(Environment("fd00::1", "6443"));
        Assert.Null(account.UnhealthyReason);
        Assert.Equal(new Uri("https://[fd00::1]:6443/"), account.Client!.BaseUri);
        Assert.Equal("delivery", account.DefaultNamespace);
    }

    [Fact]
    public void Deploy_rbac_lets_the_in_cluster_account_keep_its_inventory_and_deploy_workloads_in_its_namespace()
    {
        // The test server does not authorize, so this is checked against deploy/02-rbac.yaml's Role itself.
        var manifests = RepositoryFiles.DeployManifests();
        var role = manifests.Single(m => m["kind"]!.GetValue<string>() == "Role");
        Assert.Equal("delivery-apps", role["metadata"]!["namespace"]!.GetValue<string>());
        var types = new ResourceTypes();
        foreach (var (apiVersion, kind) in KubernetesInventory.Kinds)
        {
            var group = apiVersion.Contains('/') ? apiVersion.Split('/')[0] : "";
            var plural = types.All.Single(t => t.Group == group && t.Kind == kind).Plural;
            Assert.True(role["rules"]!.AsArray().Any(r => Strings(r!["apiGroups"]).Contains(group) && Strings(r!["resources"]).Contains(plural)
                && new[] { "get", "list", "watch", "create", "patch", "delete" }.All(Strings(r!["verbs"]).Contains)), $"The Role does not let clouddriver manage {plural} ({group})");
        }
        var binding = manifests.Single(m => m["kind"]!.GetValue<string>() == "RoleBinding");
        Assert.Equal("clouddriver", binding["subjects"]![0]!["name"]!.GetValue<string>());
        var clouddriver = manifests.Single(m => m["kind"]!.GetValue<string>() == "Deployment" && m["metadata"]!["name"]!.GetValue<string>() == "clouddriver");
        Assert.Equal("clouddriver", clouddriver["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>());
        Assert.NotEqual(false, clouddriver["spec"]!["template"]!["spec"]!["automountServiceAccountToken"]?.GetValue<bool>());
    }

    private static List<string> Strings(JsonNode? list) => [.. list!.AsArray().Select(n => n!.GetValue<string>())];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private KubernetesAccount Account(Dictionary<string, string?> environment) =>
        new(new KubernetesAccountOptions { Name = "in-cluster", ServiceAccount = true }, new KubernetesProviderOptions { ServiceAccountDirectory = _directory },
            new ConfigurationBuilder().AddInMemoryCollection(environment).Build());

    private static Dictionary<string, string?> Environment(string host, string port) =>
        new() { ["KUBERNETES_SERVICE_HOST"] = host, ["KUBERNETES_SERVICE_PORT"] = port };
}
