using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Stages.Tests.TestHost;
using Delivery.Clouddriver.Tests.TestHost;

namespace Delivery.CanaryJudge.Stages.Tests.Stages;

/// <summary>Threshold analysis of a running server group, measured on its balancer's metrics in a real Prometheus.</summary>
[Collection(CanaryCollection.Name)]
public sealed class AnalysisStageTests(CanaryHost host)
{
    [Fact]
    public async Task A_healthy_server_group_passes_every_measurement_of_both_metric_styles()
    {
        const string app = "analysisok";
        await using var probe = await DeployAsync(app, failRate: "0");

        var execution = await host.Client.RunPipelineAsync(app, [Analysis(app, count: 3)], TimeSpan.FromSeconds(60));

        Assert.True(execution["status"]!.GetValue<string>() == "SUCCEEDED", $"The analysis failed: {CanaryHost.Errors(execution)} {execution.ToJsonString()}");
        var results = CanaryHost.Stage(execution, "analysis")["outputs"]!["metricResults"]!.AsArray();
        Assert.Equal(["error-ratio", "request-rate"], results.Select(r => r!["name"]!.GetValue<string>()));
        Assert.All(results, r =>
        {
            Assert.Equal("Successful", r!["phase"]!.GetValue<string>());
            Assert.Equal(3, r["measurements"]!.AsArray().Count);
        });
        Assert.All(results[1]!["measurements"]!.AsArray(), m => Assert.True(m!["value"]!.GetValue<double>() > 0));
    }

    [Fact]
    public async Task A_failing_server_group_fails_the_analysis_at_its_first_measurement()
    {
        const string app = "analysisbad";
        await using var probe = await DeployAsync(app, failRate: "0.5");

        var execution = await host.Client.RunPipelineAsync(app, [Analysis(app, count: 5)], TimeSpan.FromSeconds(60));

        Assert.Equal("TERMINAL", execution["status"]!.GetValue<string>());
        Assert.Contains("Analysis metric 'error-ratio' failed 1 times (failureLimit 0)", CanaryHost.Errors(execution));
        Assert.Contains("does not meet the successCondition 'result < 0.01'", CanaryHost.Errors(execution));
        var ratio = CanaryHost.Stage(execution, "analysis")["outputs"]!["metricResults"]![0]!;
        Assert.Equal("Failed", ratio["phase"]!.GetValue<string>());
        Assert.Single(ratio["measurements"]!.AsArray());
    }

    [Fact]
    public async Task A_condition_that_is_not_a_comparison_fails_the_stage_before_measuring()
    {
        var stage = Analysis("analysisinput", count: 1);
        stage["metrics"]![0]!["successCondition"] = "result < len(x)";

        var execution = await host.Client.RunPipelineAsync("analysisinput", [stage], TimeSpan.FromSeconds(30));

        Assert.Equal("TERMINAL", execution["status"]!.GetValue<string>());
        Assert.Contains("metrics[0].successCondition 'result < len(x)': 'result < len(x)' is not a comparison of result with a number", CanaryHost.Errors(execution));
    }

    private async Task<TrafficProbe> DeployAsync(string app, string failRate)
    {
        var balancer = await host.Client.BalancerAsync(app, $"{app}-web");
        await host.Client.SucceedAsync(app, new JsonObject
        {
            ["type"] = "deploy",
            ["clusters"] = new JsonArray(CanaryHost.HelloCluster(app, "web", "v1", failRate, "highlander", $"{app}-web")),
        });
        var probe = new TrafficProbe(balancer.ToString());
        await probe.PassAsync(20);
        return probe;
    }

    /// <summary>The error ratio from the local source (Argo's <c>result &lt; 0.01</c>) and the request rate in Argo's own Prometheus form.</summary>
    private static JsonObject Analysis(string app, int count) => new()
    {
        ["refId"] = "1",
        ["type"] = "analysis",
        ["name"] = "Analysis",
        ["metrics"] = new JsonArray(
            new JsonObject
            {
                ["name"] = "error-ratio",
                ["interval"] = "2s",
                ["initialDelay"] = "2s",
                ["count"] = count,
                ["successCondition"] = "result < 0.01",
                ["query"] = new JsonObject { ["type"] = "local", ["metricName"] = "error_ratio" },
                ["scope"] = $"{app}-web-v000",
                ["location"] = "local",
            },
            new JsonObject
            {
                ["name"] = "request-rate",
                ["interval"] = "2s",
                ["initialDelay"] = "2s",
                ["count"] = count,
                ["successCondition"] = "result > 0",
                ["failureCondition"] = "result <= 0",
                ["provider"] = new JsonObject
                {
                    ["prometheus"] = new JsonObject { ["query"] = $"sum(rate(loadbalancer_requests_total{{server_group=\"{app}-web-v000\"}}[2s]))" },
                },
            }),
    };
}
