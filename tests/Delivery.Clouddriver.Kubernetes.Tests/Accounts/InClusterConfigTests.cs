using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Delivery.Clouddriver.Kubernetes.Accounts;
using Microsoft.Extensions.Configuration;

namespace Delivery.Clouddriver.Kubernetes.Tests.Accounts;

/// <summary>What an in-cluster account makes of the pod it runs in, and the reason it is unhealthy outside one.</summary>
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

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private KubernetesAccount Account(Dictionary<string, string?> environment) =>
        new(new KubernetesAccountOptions { Name = "in-cluster", ServiceAccount = true }, new KubernetesProviderOptions { ServiceAccountDirectory = _directory },
            new ConfigurationBuilder().AddInMemoryCollection(environment).Build());

    private static Dictionary<string, string?> Environment(string host, string port) =>
        new() { ["KUBERNETES_SERVICE_HOST"] = host, ["KUBERNETES_SERVICE_PORT"] = port };
}
