using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

[Collection(nameof(EngineCollection))]
public sealed class StageEnabledAndVariablesTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    [Fact]
    public async Task EvaluateVariables_OutputsAreVisibleToLaterStages()
    {
        var name = await _client.SaveStagesAsync("variables",
            new JsonObject
            {
                ["refId"] = "1",
                ["type"] = "evaluateVariables",
                ["name"] = "Vars",
                ["variables"] = new JsonArray(new JsonObject { ["key"] = "size", ["value"] = "${trigger.parameters.env == 'prod' ? 'large' : 'small'}" }),
            },
            new JsonObject
            {
                ["refId"] = "2",
                ["type"] = "evaluateVariables",
                ["requisiteStageRefIds"] = new JsonArray("1"),
                ["variables"] = new JsonArray(
                    new JsonObject { ["key"] = "direct", ["value"] = "${size}" },
                    new JsonObject { ["key"] = "viaStage", ["value"] = "${#stage('Vars')['outputs']['size']}" }),
            });

        var id = await _client.TriggerAsync("test", name, new JsonObject { ["parameters"] = new JsonObject { ["env"] = "prod" } });
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");

        Assert.Equal("large", Stage(execution, "1")["outputs"]!["size"]!.GetValue<string>());
        Assert.Equal("large", Stage(execution, "2")["outputs"]!["direct"]!.GetValue<string>());
        Assert.Equal("large", Stage(execution, "2")["outputs"]!["viaStage"]!.GetValue<string>());
    }

    [Fact]
    public async Task StageEnabledFalse_SkipsTheStageAndDownstreamContinues()
    {
        var skipped = Wait("2", 30, "1");
        skipped["stageEnabled"] = new JsonObject { ["type"] = "expression", ["expression"] = "trigger.parameters.deploy == 'yes'" };
        var name = await _client.SaveStagesAsync("stage-enabled", Wait("1", 0), skipped, Wait("3", 0, "2"));

        var execution = await _client.WaitForStatusAsync(
            await _client.TriggerAsync("test", name, new JsonObject { ["parameters"] = new JsonObject { ["deploy"] = "no" } }), "SUCCEEDED");

        Assert.Equal("SKIPPED", Status(Stage(execution, "2")));
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "3")));
    }

    [Fact]
    public async Task FailingExpression_WithFailOnFailedExpressions_FailsTheStageNamingTheExpression()
    {
        var name = await _client.SaveStagesAsync("bad-expression", new JsonObject
        {
            ["refId"] = "1",
            ["type"] = "evaluateVariables",
            ["failOnFailedExpressions"] = true,
            ["variables"] = new JsonArray(new JsonObject { ["key"] = "x", ["value"] = "${#stage('Nope')['outputs']}" }),
        });

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "TERMINAL");

        var error = Stage(execution, "1")["context"]!["exception"]!["details"]!["error"]!.GetValue<string>();
        Assert.Contains("#stage('Nope')", error);
    }
}
