using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Manifests;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;

namespace Delivery.Clouddriver.Kubernetes.Tests.Stages;

/// <summary>
/// Delivery deploys Delivery: <c>deploy/pipeline/delivery.json</c>, the pipeline users run, carries deploy/'s files as
/// they are, and run by the project's own Kubernetes provider against the test server (HTTPS, bearer tokens) it succeeds
/// with every object of deploy/ present and every Deployment and StatefulSet stable by the provider's judgment.
/// </summary>
[Collection(InClusterCollection.Name)]
public sealed class DeliveryDeploysDeliveryTests(InClusterHost host)
{
    private static readonly string PipelineFile = Path.Combine(RepositoryFiles.Deploy, "pipeline", "delivery.json");

    [Fact]
    public void The_pipeline_carries_every_file_of_deploy_unchanged()
    {
        var pipeline = JsonNode.Parse(File.ReadAllText(PipelineFile))!;
        var carried = pipeline["stages"]!.AsArray().SelectMany(s => s!["manifests"]!.AsArray().Select(m => m!.GetValue<string>())).ToList();
        var files = Directory.GetFiles(RepositoryFiles.Deploy, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        Assert.True(files.SequenceEqual(carried), "deploy/pipeline/delivery.json differs from deploy/*.yaml: run deploy/pipeline/render.sh");
    }

    [Fact]
    public async Task The_pipeline_deploys_every_object_of_deploy_until_stable()
    {
        var pipeline = JsonNode.Parse(File.ReadAllText(PipelineFile))!.AsObject();
        var execution = await host.WaitAsync(await host.StartAsync(pipeline), within: TimeSpan.FromSeconds(90));
        Assert.True(execution["status"]!.GetValue<string>() == "SUCCEEDED", $"The pipeline did not succeed: {execution.ToJsonString()}");

        var deployed = execution["stages"]!.AsArray().SelectMany(s => s!["context"]!["deployedManifests"]!.AsArray().Select(m => m!.GetValue<string>())).ToList();
        foreach (var manifest in RepositoryFiles.DeployManifests())
        {
            var kind = manifest["kind"]!.GetValue<string>();
            var name = manifest["metadata"]!["name"]!.GetValue<string>();
            var ns = manifest["metadata"]!["namespace"]?.GetValue<string>();
            Assert.Contains($"{SpinnakerMetadata.KindName(kind)} {name}", deployed);
            var type = host.Cluster.Types.All.Single(t => t.Kind == kind);
            Assert.True(host.Cluster.Store.Get(type, ns, name) is not null, $"{kind} {ns}/{name} is not on the cluster");
            if (kind is "Deployment" or "StatefulSet")
            {
                var live = await host.GetAsync($"/manifests/kubernetes/{ns}/{Uri.EscapeDataString($"{SpinnakerMetadata.KindName(kind)} {name}")}");
                Assert.True(live["status"]!["stable"]!.GetValue<bool>(), $"{kind} {name} is not stable: {live["status"]}");
                Assert.Equal(manifest["spec"]!["replicas"]!.GetValue<int>(), live["manifest"]!["status"]!["readyReplicas"]!.GetValue<int>());
            }
        }
    }
}
