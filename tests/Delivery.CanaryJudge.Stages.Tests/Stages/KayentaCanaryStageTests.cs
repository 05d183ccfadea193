using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Stages.Tests.TestHost;
using Delivery.Clouddriver.Tests.TestHost;

namespace Delivery.CanaryJudge.Stages.Tests.Stages;

/// <summary>
/// End to end with the local provider and a real Prometheus: production runs samples/hello v1 behind a balancer that
/// Prometheus scrapes; a pipeline canaries v2 (a baseline of v1 and a canary of v2 at 30% each, judged on the
/// balancer's error rate) and, when the canary passes, deploys v2 red/black.
/// </summary>
[Collection(CanaryCollection.Name)]
public sealed class KayentaCanaryStageTests(CanaryHost host)
{
    [Fact]
    public async Task A_healthy_canary_passes_every_interval_and_the_pipeline_promotes_it()
    {
        const string app = "canaryok";
        await using var probe = await ProductionAsync(host.Client, app);

        var execution = await host.Client.RunPipelineAsync(app, Pipeline(app, failRate: "0", intervals: 2), TimeSpan.FromSeconds(90));

        Assert.True(execution["status"]!.GetValue<string>() == "SUCCEEDED", $"The pipeline did not succeed: {CanaryHost.Errors(execution)} {execution.ToJsonString()}");
        var canary = CanaryHost.Stage(execution, "kayentaCanary");
        var scores = canary["outputs"]!["canaryScores"]!.AsArray().Select(s => s!.GetValue<double>()).ToList();
        Assert.Equal([100.0, 100.0], scores);
        var interval = canary["outputs"]!["canaryIntervals"]![0]!;
        var report = JsonNode.Parse(await host.Http.GetStringAsync(interval["reportUrl"]!.GetValue<string>()))!;
        Assert.Equal("Pass", report["result"]!["classification"]!.GetValue<string>());
        var errors = report["metricSets"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "error_rate")!;
        Assert.True(errors["control"]!.AsArray().Count(p => p is not null) >= 3, $"Too few baseline points: {errors.ToJsonString()}");

        // The pair is gone and production serves v2 alone.
        Assert.DoesNotContain(await host.Client.ServerGroupsAsync(app), g => g!["cluster"]!.GetValue<string>() != $"{app}-web");
        probe.ResetVersions();
        await probe.PassAsync(40);
        Assert.Equal(["v2"], probe.Versions.Keys);
    }

    [Fact]
    public async Task A_failing_canary_fails_its_first_interval_and_production_keeps_serving_the_old_version()
    {
        const string app = "canarybad";
        await using var probe = await ProductionAsync(host.Client, app);

        var execution = await host.Client.RunPipelineAsync(app, Pipeline(app, failRate: "0.2", intervals: 2), TimeSpan.FromSeconds(90));

        Assert.Equal("TERMINAL", execution["status"]!.GetValue<string>());
        var canary = CanaryHost.Stage(execution, "kayentaCanary");
        Assert.Equal("TERMINAL", canary["status"]!.GetValue<string>());
        Assert.Contains("Canary interval 1 of 2 scored 0", CanaryHost.Errors(execution));
        Assert.Single(canary["outputs"]!["canaryScores"]!.AsArray());
        Assert.Equal("NOT_STARTED", CanaryHost.Stage(execution, "deploy")["status"]!.GetValue<string>());

        var report = JsonNode.Parse(await host.Http.GetStringAsync(canary["outputs"]!["canaryIntervals"]![0]!["reportUrl"]!.GetValue<string>()))!;
        Assert.Equal("Fail", report["result"]!["classification"]!.GetValue<string>());
        var metric = report["result"]!["metrics"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "error_rate")!;
        Assert.Equal("High", metric["classification"]!.GetValue<string>());

        // The pair was destroyed and the balancer's weights cleared: only v1 answers, and none of its answers fail.
        var groups = await host.Client.ServerGroupsAsync(app);
        Assert.Equal([$"{app}-web-v000"], groups.Select(g => g!["name"]!.GetValue<string>()));
        await probe.PassAsync(2); // the request in flight may still be the canary's
        probe.ResetVersions();
        var failuresBefore = probe.Failures.Count;
        await probe.PassAsync(40);
        Assert.Equal(["v1"], probe.Versions.Keys);
        Assert.Equal(failuresBefore, probe.Failures.Count);
    }

    [Fact]
    public async Task A_canary_whose_metric_source_is_down_fails_with_the_reason_and_its_pair_is_cleaned_up()
    {
        const string app = "canarydown";
        var client = host.OtherHost($"http://127.0.0.1:{Machine.FreePort()}");
        await using var probe = await ProductionAsync(client, app);

        // mustHaveData: the interval cannot be judged, and the stage says why.
        var execution = await client.RunPipelineAsync(app, Pipeline(app, failRate: "0", intervals: 1, intervalMins: 0.03, warmupMins: 0), TimeSpan.FromSeconds(60));
        Assert.Equal("TERMINAL", execution["status"]!.GetValue<string>());
        var errors = CanaryHost.Errors(execution);
        Assert.Contains("Canary interval 1 of 1 could not be judged: Metric 'error_rate' (mustHaveData): Prometheus at http://127.0.0.1:", errors);
        Assert.Contains("did not answer", errors);
        Assert.Equal([$"{app}-web-v000"], (await client.ServerGroupsAsync(app)).Select(g => g!["name"]!.GetValue<string>()));

        // Without mustHaveData the interval is judged on no data: the metric is Nodata and the reason is kept as a warning.
        execution = await client.RunPipelineAsync(app, Pipeline(app, failRate: "0", intervals: 1, mustHaveData: false, intervalMins: 0.03, warmupMins: 0), TimeSpan.FromSeconds(60));
        var interval = CanaryHost.Stage(execution, "kayentaCanary")["outputs"]!["canaryIntervals"]![0]!;
        Assert.Equal("Nodata", interval["metrics"]!["error_rate"]!.GetValue<string>());
        Assert.Contains("did not answer", interval["warnings"]![0]!.GetValue<string>());
        Assert.Equal([$"{app}-web-v000"], (await client.ServerGroupsAsync(app)).Select(g => g!["name"]!.GetValue<string>()));
        probe.ResetVersions();
        await probe.PassAsync(20);
        Assert.Equal(["v1"], probe.Versions.Keys);
    }

    [Fact]
    public async Task Without_deployments_the_canary_judges_the_scopes_it_is_given_and_deploys_nothing()
    {
        const string app = "canaryscopes";
        await using var probe = await ProductionAsync(host.Client, app);
        var stages = Pipeline(app, failRate: "0", intervals: 1, intervalMins: 0.05, warmupMins: 0.02);
        var kayenta = (JsonObject)stages[0]!.DeepClone();
        kayenta.Remove("deployments");
        kayenta["canaryConfig"]!["scopes"] = new JsonArray(new JsonObject
        {
            ["controlScope"] = $"{app}-web-v000", ["controlLocation"] = "local",
            ["experimentScope"] = $"{app}-web-v000", ["experimentLocation"] = "local", ["step"] = 1,
        });

        var execution = await host.Client.RunPipelineAsync(app, [kayenta], TimeSpan.FromSeconds(60));

        Assert.True(execution["status"]!.GetValue<string>() == "SUCCEEDED", $"The canary failed: {CanaryHost.Errors(execution)}");
        Assert.Equal(100, CanaryHost.Stage(execution, "kayentaCanary")["outputs"]!["canaryScores"]![0]!.GetValue<double>());
        Assert.Single(await host.Client.ServerGroupsAsync(app));
    }

    [Fact]
    public async Task A_canceled_canary_destroys_its_pair_and_gives_production_all_traffic()
    {
        const string app = "canarycancel";
        await using var probe = await ProductionAsync(host.Client, app);
        var id = await host.Client.StartPipelineAsync(app, Pipeline(app, failRate: "0.5", intervals: 2, intervalMins: 1));
        var running = await host.Client.WaitAsync(id, e => CanaryHost.Stage(e, "kayentaCanary")["outputs"]?["canaryServerGroup"] is not null, TimeSpan.FromSeconds(60));
        Assert.Equal("RUNNING", running["status"]!.GetValue<string>());
        Assert.Equal(3, (await host.Client.ServerGroupsAsync(app)).Count);

        using (var canceled = await host.Http.PutAsync($"/pipelines/{id}/cancel", null))
        {
            Assert.True(canceled.IsSuccessStatusCode, $"Cancel answered {(int)canceled.StatusCode}");
        }
        var execution = await host.Client.WaitAsync(id, _ => false, TimeSpan.FromSeconds(30));

        Assert.Equal("CANCELED", execution["status"]!.GetValue<string>());
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await host.Client.ServerGroupsAsync(app)).Count > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Equal([$"{app}-web-v000"], (await host.Client.ServerGroupsAsync(app)).Select(g => g!["name"]!.GetValue<string>()));
        await probe.PassAsync(2); // the request in flight may still be the canary's
        probe.ResetVersions();
        var failuresBefore = probe.Failures.Count;
        await probe.PassAsync(40);
        Assert.Equal(["v1"], probe.Versions.Keys);
        Assert.Equal(failuresBefore, probe.Failures.Count);
    }

    /// <summary>Production v1 behind a scraped balancer, and steady traffic through it.</summary>
    private static async Task<TrafficProbe> ProductionAsync(DeliveryClient client, string app)
    {
        var balancer = await client.BalancerAsync(app, $"{app}-web");
        await client.SucceedAsync(app, new JsonObject
        {
            ["type"] = "deploy",
            ["clusters"] = new JsonArray(CanaryHost.HelloCluster(app, "web", "v1", "0", "highlander", $"{app}-web")),
        });
        var probe = new TrafficProbe(balancer.ToString());
        await probe.PassAsync(20);
        return probe;
    }

    /// <summary>kayentaCanary of v2 (failing <paramref name="failRate"/> of requests), then a red/black deploy of v2.</summary>
    private static JsonArray Pipeline(string app, string failRate, int intervals, bool mustHaveData = true, double intervalMins = 0.12, double warmupMins = 0.04)
    {
        var canaryConfig = new JsonObject
        {
            ["name"] = "hello-errors",
            ["metrics"] = new JsonArray(new JsonObject
            {
                ["name"] = "error_rate",
                ["query"] = new JsonObject { ["type"] = "local", ["metricName"] = "errors" },
                ["groups"] = new JsonArray("errors"),
                ["analysisConfigurations"] = new JsonObject
                {
                    ["canary"] = new JsonObject { ["direction"] = "increase", ["critical"] = true, ["mustHaveData"] = mustHaveData },
                },
            }),
            ["classifier"] = new JsonObject { ["groupWeights"] = new JsonObject { ["errors"] = 100 } },
        };
        var kayenta = new JsonObject
        {
            ["refId"] = "1",
            ["type"] = "kayentaCanary",
            ["name"] = "Canary v2",
            ["canaryConfig"] = new JsonObject
            {
                ["config"] = canaryConfig,
                ["scopes"] = new JsonArray(new JsonObject { ["scopeName"] = "default", ["step"] = 1 }),
                ["lifetimeDurationMins"] = intervalMins * intervals,
                ["canaryAnalysisIntervalMins"] = intervalMins,
                // The pair's first seconds are left out: its rate window (2 s) is not full yet.
                ["beginCanaryAnalysisAfterMins"] = warmupMins,
                ["scoreThresholds"] = new JsonObject { ["marginal"] = 50, ["pass"] = 75 },
            },
            ["deployments"] = new JsonObject
            {
                ["baseline"] = new JsonObject { ["cluster"] = $"{app}-web", ["account"] = "local" },
                ["canary"] = new JsonObject { ["env"] = new JsonObject { ["VERSION"] = "v2", ["FAIL_RATE"] = failRate } },
                ["trafficPercent"] = 30,
                ["loadBalancer"] = $"{app}-web",
            },
        };
        var promote = new JsonObject
        {
            ["refId"] = "2",
            ["requisiteStageRefIds"] = new JsonArray("1"),
            ["type"] = "deploy",
            ["name"] = "Promote v2",
            ["clusters"] = new JsonArray(CanaryHost.HelloCluster(app, "web", "v2", failRate, "redblack", $"{app}-web")),
        };
        return [kayenta, promote];
    }
}
