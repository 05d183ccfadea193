using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;

namespace Delivery.Clouddriver.Kubernetes.Tests.Accounts;

[Collection(KubernetesCollection.Name)]
public sealed class CredentialsTests(KubernetesHost host)
{
    [Fact]
    public async Task Credentials_list_kubernetes_accounts_with_namespaces_kinds_and_the_reason_an_unreachable_one_is_unhealthy()
    {
        var accounts = await KubernetesHost.EventuallyAsync(async () => (await host.GetAsync("/credentials")).AsArray(),
            list => list.Any(a => a!["name"]!.GetValue<string>() == "unreachable" && a["unhealthyReason"] is not null), TimeSpan.FromSeconds(10), "the unreachable account turning unhealthy");
        var k8s = accounts.Single(a => a!["name"]!.GetValue<string>() == "k8s")!;
        Assert.Equal("kubernetes", k8s["cloudProvider"]!.GetValue<string>());
        Assert.True(k8s["healthy"]!.GetValue<bool>());
        Assert.Equal(["default", "prod"], k8s["namespaces"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("Deployment", k8s["kinds"]!.AsArray().Select(n => n!.GetValue<string>()));
        var unreachable = accounts.Single(a => a!["name"]!.GetValue<string>() == "unreachable")!;
        Assert.False(unreachable["healthy"]!.GetValue<bool>());
        Assert.Contains("cannot be reached", unreachable["unhealthyReason"]!.GetValue<string>());
        Assert.Contains(accounts, a => a!["name"]!.GetValue<string>() == "local" && a["healthy"]!.GetValue<bool>());
    }
}
