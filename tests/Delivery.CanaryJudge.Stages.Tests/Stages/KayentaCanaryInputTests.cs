using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Stages.Tests.TestHost;

namespace Delivery.CanaryJudge.Stages.Tests.Stages;

/// <summary>Bad kayentaCanary input fails the stage with a message naming the field, before anything is deployed.</summary>
[Collection(CanaryCollection.Name)]
public sealed class KayentaCanaryInputTests(CanaryHost host)
{
    [Theory]
    [InlineData("scoreThresholds", """{"marginal": 80, "pass": 75}""", "canaryConfig.scoreThresholds.marginal (80) must not be above pass (75).")]
    [InlineData("scoreThresholds", """{"marginal": 50, "pass": 101}""", "canaryConfig.scoreThresholds.pass must be a number 0..100.")]
    [InlineData("lifetimeDuration", "\"one hour\"", "canaryConfig.lifetimeDuration 'one hour' is not an ISO-8601 duration")]
    [InlineData("canaryAnalysisIntervalMins", "0.001", "canaryConfig.canaryAnalysisIntervalMins must be at least 1 s")]
    [InlineData("canaryAnalysisIntervalMins", "1", "The lifetime holds more than 32 intervals")]
    public async Task A_bad_canary_setting_fails_the_stage_naming_it_and_deploys_nothing(string field, string json, string error)
    {
        const string app = "canaryinput";
        var stage = new JsonObject
        {
            ["refId"] = "1",
            ["type"] = "kayentaCanary",
            ["canaryConfig"] = new JsonObject
            {
                ["canaryConfigId"] = "any",
                ["lifetimeDuration"] = "PT1H",
                ["canaryAnalysisIntervalMins"] = 10,
                ["scoreThresholds"] = new JsonObject { ["marginal"] = 50, ["pass"] = 75 },
            },
            ["deployments"] = new JsonObject
            {
                ["baseline"] = new JsonObject { ["cluster"] = $"{app}-web", ["account"] = "local" },
                ["canary"] = new JsonObject { ["env"] = new JsonObject { ["VERSION"] = "v2" } },
                ["loadBalancer"] = $"{app}-web",
            },
        };
        stage["canaryConfig"]![field] = JsonNode.Parse(json);

        var execution = await host.Client.RunPipelineAsync(app, [stage], TimeSpan.FromSeconds(30));

        Assert.Equal("TERMINAL", execution["status"]!.GetValue<string>());
        Assert.Contains(error, CanaryHost.Errors(execution));
        Assert.Empty(await host.Client.ServerGroupsAsync(app));
    }
}
