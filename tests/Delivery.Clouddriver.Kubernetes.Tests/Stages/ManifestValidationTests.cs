using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;

namespace Delivery.Clouddriver.Kubernetes.Tests.Stages;

/// <summary>Bad manifests fail with a clear error before anything is applied.</summary>
[Collection(KubernetesCollection.Name)]
public sealed class ManifestValidationTests(KubernetesHost host)
{
    private static readonly JsonObject Good = new()
    {
        ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "checked-settings" }, ["data"] = new JsonObject { ["a"] = "1" },
    };

    [Theory]
    [InlineData("{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": [}", "k8s", "manifests[1] is not valid YAML or JSON")]
    [InlineData("apiVersion: v1\nmetadata:\n  name: x\n", "k8s", "manifests[1] has no kind")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n", "k8s", "manifests[1] (ConfigMap) has no metadata.name")]
    [InlineData("apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n", "k8s", "Gadget g: the cluster serves no API version example.com/v1")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: secret-place\n", "k8s", "may not deploy to namespace 'secret-place'")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", "nowhere", "Unknown account 'nowhere'")]
    public async Task A_bad_manifest_is_a_400_naming_it_and_nothing_is_applied(string second, string account, string error)
    {
        var body = new JsonObject { ["account"] = account, ["moniker"] = new JsonObject { ["app"] = "checked" }, ["manifests"] = new JsonArray(Good.DeepClone(), second) };
        using var response = await host.Http.PostAsync("/clouddriver/ops/deployManifest", KubernetesHost.Json(body));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(error, problem["detail"]!.GetValue<string>());
        var configMaps = host.Cluster.Types.Find("", "v1", "configmaps")!;
        Assert.Empty(host.Cluster.Store.List(configMaps, null, c => c["metadata"]!["name"]!.GetValue<string>().StartsWith("checked-settings", StringComparison.Ordinal)).Items);
    }

    [Fact]
    public async Task The_deploy_stage_fails_with_the_validation_error()
    {
        var execution = await host.RunStageAsync("checked", new JsonObject
        {
            ["type"] = "deployManifest", ["account"] = "k8s", ["manifests"] = new JsonArray("kind: [unclosed"),
        });
        Assert.Equal("TERMINAL", execution["status"]!.GetValue<string>());
        Assert.Contains("manifests[0] is not valid YAML or JSON", KubernetesHost.Error(execution));
    }
}
