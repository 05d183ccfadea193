using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;

namespace Delivery.Clouddriver.Kubernetes.Tests.Stages;

/// <summary>Versioned ConfigMaps: -vNNN names, workloads pointed at the new version, history trimmed.</summary>
[Collection(KubernetesCollection.Name)]
public sealed class VersionedManifestTests(KubernetesHost host)
{
    [Fact]
    public async Task Each_deploy_makes_a_new_config_version_the_deployment_uses_and_old_ones_beyond_the_history_go()
    {
        for (var i = 0; i < 3; i++)
        {
            var body = new JsonObject
            {
                ["account"] = "k8s", ["moniker"] = new JsonObject { ["app"] = "conf" }, ["namespaceOverride"] = "prod",
                ["manifests"] = new JsonArray(
                    $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf-settings\n  annotations:\n    strategy.spinnaker.io/max-version-history: \"2\"\ndata:\n  round: \"{i}\"\n",
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: conf
                    spec:
                      replicas: 1
                      selector: {matchLabels: {app: conf}}
                      template:
                        metadata: {labels: {app: conf}}
                        spec:
                          containers:
                          - name: conf
                            image: conf:1
                            envFrom: [{configMapRef: {name: conf-settings}}]
                          volumes: [{name: settings, configMap: {name: conf-settings}}]
                    """),
            };
            using var response = await host.Http.PostAsync("/clouddriver/ops/deployManifest", KubernetesHost.Json(body));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var deployment = await host.GetAsync("/manifests/k8s/prod/deployment%20conf");
        var pod = deployment["manifest"]!["spec"]!["template"]!["spec"]!;
        Assert.Equal("conf-settings-v002", pod["containers"]![0]!["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>());
        Assert.Equal("conf-settings-v002", pod["volumes"]![0]!["configMap"]!["name"]!.GetValue<string>());
        var configMaps = host.Cluster.Types.Find("", "v1", "configmaps")!;
        Assert.Equal(["conf-settings-v001", "conf-settings-v002"], host.Cluster.Store.List(configMaps, "prod").Items.Select(c => c["metadata"]!["name"]!.GetValue<string>()).Order());
        Assert.Equal("2", host.Cluster.Store.Get(configMaps, "prod", "conf-settings-v002")!["metadata"]!["annotations"]!["moniker.spinnaker.io/sequence"]!.GetValue<string>());
    }
}
