using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;
using Delivery.Clouddriver.Kubernetes.Tests.TestServer;

namespace Delivery.Clouddriver.Kubernetes.Tests.Accounts;

/// <summary>
/// The in-cluster account as deploy/ configures it (<see cref="InClusterHost"/>): it reaches an HTTPS API server whose
/// certificate only the mounted CA vouches for, with the mounted token, in the allowed namespace; a token the server refuses
/// makes it unhealthy with that reason, and a rotated token is used as soon as the kubelet would have written it.
/// </summary>
[Collection(InClusterCollection.Name)]
public sealed class InClusterAccountTests(InClusterHost host)
{
    [Fact]
    public async Task The_in_cluster_account_of_deploy_config_deploys_with_the_pods_service_account()
    {
        var account = await HealthyAsync();
        Assert.Equal(["delivery-apps"], account["namespaces"]!.AsArray().Select(n => n!.GetValue<string>()));

        var context = await host.SucceedAsync("apps", Deploy("web"));
        Assert.Equal("deployment web", context["deployedManifests"]![0]!.GetValue<string>());
        var live = host.Cluster.Store.Get(host.Cluster.Types.Find("apps", "v1", "deployments")!, "delivery-apps", "web")!;
        Assert.Equal(1, live["status"]!["readyReplicas"]!.GetValue<int>());

        // The pod's own namespace (the namespace file) is the default, and deploy/ does not let the account use it.
        var refused = await host.RunStageAsync("apps", Deploy("elsewhere", ns: null));
        Assert.Equal("TERMINAL", refused["status"]!.GetValue<string>());
        Assert.Contains("may not deploy to namespace 'delivery'", KubernetesHost.Error(refused));
    }

    [Fact]
    public async Task A_refused_token_makes_the_account_unhealthy_and_a_rotated_one_is_used_at_once()
    {
        await HealthyAsync();
        var kubectl = new Kubectl(host.AdminKubeconfig);
        var (code, _, error) = await kubectl.RunAsync("get", "namespaces", "--token=not-a-token");
        Assert.NotEqual(0, code);
        Assert.True(error.Contains("You must be logged in to the server", StringComparison.Ordinal), error);

        try
        {
            await host.WriteTokenAsync("not-a-token");
            var unhealthy = await KubernetesHost.EventuallyAsync(InClusterAsync, a => a["healthy"]!.GetValue<bool>() == false,
                TimeSpan.FromSeconds(10), "the account turning unhealthy");
            Assert.Contains("refused the account's credentials", unhealthy["unhealthyReason"]!.GetValue<string>());

            // Rotation: the cluster issues a new token, the kubelet writes it, the old one expires.
            host.Cluster.AcceptToken("clouddriver-token-2");
            await host.WriteTokenAsync("clouddriver-token-2");
            await HealthyAsync();
            host.Cluster.RevokeToken(InClusterHost.ServiceAccountToken);
            await host.SucceedAsync("apps", Deploy("rotated"));
        }
        finally
        {
            host.Cluster.AcceptToken(InClusterHost.ServiceAccountToken);
            await host.WriteTokenAsync(InClusterHost.ServiceAccountToken);
        }
    }

    private async Task<JsonObject> InClusterAsync() =>
        (await host.GetAsync("/credentials")).AsArray().Single(a => a!["name"]!.GetValue<string>() == "in-cluster")!.AsObject();

    private Task<JsonObject> HealthyAsync() =>
        KubernetesHost.EventuallyAsync(InClusterAsync, a => a["healthy"]!.GetValue<bool>(), TimeSpan.FromSeconds(10), "the in-cluster account being healthy");

    private static JsonObject Deploy(string name, string? ns = "delivery-apps") => new()
    {
        ["type"] = "deployManifest", ["account"] = "in-cluster", ["moniker"] = new JsonObject { ["app"] = "apps" },
        ["manifests"] = new JsonArray($$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{name}}
              {{(ns is null ? "" : "namespace: " + ns)}}
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: {{name}}
              template:
                metadata:
                  labels:
                    app: {{name}}
                spec:
                  containers:
                  - name: main
                    image: {{name}}:1
            """),
    };
}
