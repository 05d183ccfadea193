using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Manifests;

namespace Delivery.Clouddriver.Kubernetes.Tests.Manifests;

/// <summary>Stability of StatefulSets, DaemonSets and Jobs from status, in the order Clouddriver's handlers judge it.</summary>
public sealed class StabilityTests
{
    [Theory]
    [InlineData("{\"type\":\"OnDelete\"}", "{}", true, null)]
    [InlineData("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}", "{\"observedGeneration\":1}", false, "Waiting for status generation to match updated object generation")]
    [InlineData("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}", "{\"observedGeneration\":2,\"replicas\":2}", false, "Waiting for at least the desired replica count to be met")]
    [InlineData("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}", "{\"observedGeneration\":2,\"replicas\":3,\"readyReplicas\":2}", false, "Waiting for all updated replicas to be ready")]
    [InlineData("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":1}}", "{\"observedGeneration\":2,\"replicas\":3,\"readyReplicas\":3,\"updatedReplicas\":1}", false, "Waiting for partitioned roll out to finish")]
    [InlineData("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":1}}", "{\"observedGeneration\":2,\"replicas\":3,\"readyReplicas\":3,\"updatedReplicas\":2}", true, null)]
    [InlineData("{\"type\":\"RollingUpdate\"}", "{\"observedGeneration\":2,\"replicas\":3,\"readyReplicas\":3,\"currentReplicas\":3,\"currentRevision\":\"a\",\"updateRevision\":\"b\"}", false, "Waiting for the updated revision to match the current revision")]
    [InlineData("{\"type\":\"RollingUpdate\"}", "{\"observedGeneration\":2,\"replicas\":3,\"readyReplicas\":3,\"currentReplicas\":3,\"currentRevision\":\"b\",\"updateRevision\":\"b\"}", true, null)]
    public void StatefulSet(string strategy, string status, bool stable, string? reason)
    {
        var result = Stability.Of(Manifest("StatefulSet", $"{{\"replicas\":3,\"updateStrategy\":{strategy}}}", status));
        Assert.Equal(stable, result.Stable);
        Assert.Equal(reason, result.Reason);
    }

    [Theory]
    [InlineData("RollingUpdate", "{\"observedGeneration\":2,\"desiredNumberScheduled\":2,\"currentNumberScheduled\":1}", "Waiting for all replicas to be scheduled")]
    [InlineData("RollingUpdate", "{\"observedGeneration\":2,\"desiredNumberScheduled\":2,\"currentNumberScheduled\":2,\"updatedNumberScheduled\":1}", "Waiting for all updated replicas to be scheduled")]
    [InlineData("RollingUpdate", "{\"observedGeneration\":2,\"desiredNumberScheduled\":2,\"currentNumberScheduled\":2,\"updatedNumberScheduled\":2,\"numberAvailable\":1}", "Waiting for all replicas to be available")]
    [InlineData("RollingUpdate", "{\"observedGeneration\":2,\"desiredNumberScheduled\":2,\"currentNumberScheduled\":2,\"updatedNumberScheduled\":2,\"numberAvailable\":2,\"numberReady\":2}", null)]
    [InlineData("OnDelete", "{\"observedGeneration\":2,\"desiredNumberScheduled\":2}", null)]
    public void DaemonSet(string strategy, string status, string? reason)
    {
        var result = Stability.Of(Manifest("DaemonSet", $"{{\"updateStrategy\":{{\"type\":\"{strategy}\"}}}}", status));
        Assert.Equal(reason is null, result.Stable);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Job_waits_until_completions_succeeded_and_fails_on_a_failed_condition()
    {
        Assert.Equal("Waiting for jobs to finish", Stability.Of(Manifest("Job", "{\"completions\":2}", "{\"succeeded\":1}")).Reason);
        Assert.True(Stability.Of(Manifest("Job", "{\"completions\":2}", "{\"succeeded\":2}")).Stable);
        var failed = Stability.Of(Manifest("Job", "{}", "{\"failed\":7,\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"BackoffLimitExceeded\",\"message\":\"Job has reached the specified backoff limit\"}]}"));
        Assert.True(failed.Failed);
        Assert.Equal("Job failed: Job has reached the specified backoff limit", failed.Reason);
    }

    private static JsonObject Manifest(string kind, string spec, string status) => new()
    {
        ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = "x", ["generation"] = 2 },
        ["spec"] = JsonNode.Parse(spec), ["status"] = JsonNode.Parse(status),
    };
}
