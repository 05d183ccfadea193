using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>Pipelines written for Spinnaker end here as they end in Orca (each case names Orca's rule).</summary>
[Collection(nameof(EngineCollection))]
public sealed class SpinnakerAnswersTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    [Fact]
    public async Task FailedExpression_WithoutFailOnFailedExpressions_RunsTheStageWithTheTextAsWritten()
    {
        var wait = Wait("1", 0);
        wait["comments"] = "built ${trigger.buildInfo.number}";
        var name = await _client.SaveStagesAsync("failed-expression-runs", wait, Wait("2", 0, "1"));

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");

        var context = Stage(execution, "1")["context"]!;
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "1")));
        Assert.Equal("built ${trigger.buildInfo.number}", context["comments"]!.GetValue<string>());
        var failures = context["expressionEvaluationSummary"]!["${trigger.buildInfo.number}"]!.AsArray();
        Assert.Equal("ERROR", failures[0]!["level"]!.GetValue<string>());
        Assert.Contains("trigger.buildInfo.number", failures[0]!["description"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "2")));
    }

    [Fact]
    public async Task StageEnabledThatCannotBeEvaluated_SkipsTheStage_AndThePipelineGoesOn()
    {
        var guarded = Wait("2", 30, "1");
        guarded["stageEnabled"] = new JsonObject
        {
            ["type"] = "expression",
            ["expression"] = "#stage('No such stage').status.toString() == 'SUCCEEDED'",
        };
        var name = await _client.SaveStagesAsync("stage-enabled-unevaluable", Wait("1", 0), guarded, Wait("3", 0, "2"));

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");

        Assert.Equal("SKIPPED", Status(Stage(execution, "2")));
        Assert.NotNull(Stage(execution, "2")["context"]!["expressionEvaluationSummary"]);
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "3")));
    }

    [Fact]
    public async Task EvaluateVariables_EvaluatesInOrder_EachSeeingThoseBefore()
    {
        var name = await _client.SaveStagesAsync("variables-in-order",
            new JsonObject
            {
                ["refId"] = "1",
                ["type"] = "evaluateVariables",
                ["variables"] = new JsonArray(
                    new JsonObject { ["key"] = "a", ["value"] = "${1+1}" },
                    new JsonObject { ["key"] = "b", ["value"] = "${a * 2}" },
                    new JsonObject { ["key"] = "label", ["value"] = "build-${b}" }),
            },
            new JsonObject
            {
                ["refId"] = "2",
                ["type"] = "evaluateVariables",
                ["requisiteStageRefIds"] = new JsonArray("1"),
                ["variables"] = new JsonArray(new JsonObject { ["key"] = "seen", ["value"] = "${a}-${b}-${label}" }),
            });

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");

        var outputs = Stage(execution, "1")["outputs"]!;
        Assert.Equal(2, outputs["a"]!.GetValue<long>());
        Assert.Equal(4, outputs["b"]!.GetValue<long>());
        Assert.Equal("build-4", outputs["label"]!.GetValue<string>());
        Assert.Equal("2-4-build-4", Stage(execution, "2")["outputs"]!["seen"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parameters_AllPresent_DefaultsApplied_EvenEmpty_AndAnExplicitEmptyValueIsKept()
    {
        await _client.SavePipelineAsync(new JsonObject
        {
            ["application"] = "test",
            ["name"] = "parameters-as-orca",
            ["parameterConfig"] = new JsonArray(
                new JsonObject { ["name"] = "replicas", ["default"] = "" },
                new JsonObject { ["name"] = "region", ["default"] = "us-east-1" },
                new JsonObject { ["name"] = "tag", ["default"] = "latest" }),
            ["stages"] = new JsonArray(new JsonObject
            {
                ["refId"] = "1",
                ["type"] = "evaluateVariables",
                ["variables"] = new JsonArray(
                    new JsonObject { ["key"] = "replicas", ["value"] = "[${parameters.replicas}]" },
                    new JsonObject { ["key"] = "region", ["value"] = "${trigger.parameters.region}" },
                    new JsonObject { ["key"] = "tag", ["value"] = "[${parameters.tag}]" }),
            }),
        });

        var id = await _client.TriggerAsync("test", "parameters-as-orca",
            new JsonObject { ["parameters"] = new JsonObject { ["tag"] = "" } });
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");

        var parameters = execution["trigger"]!["parameters"]!.AsObject();
        Assert.Equal(["region", "replicas", "tag"], parameters.Select(p => p.Key).Order());
        var outputs = Stage(execution, "1")["outputs"]!;
        Assert.Equal("[]", outputs["replicas"]!.GetValue<string>());
        Assert.Equal("us-east-1", outputs["region"]!.GetValue<string>());
        Assert.Equal("[]", outputs["tag"]!.GetValue<string>());
    }

    [Fact]
    public async Task JavaIdioms_WorkInStageExpressions()
    {
        await _client.SavePipelineAsync(new JsonObject
        {
            ["application"] = "test",
            ["name"] = "java-idioms",
            ["parameterConfig"] = new JsonArray(new JsonObject { ["name"] = "iteration", ["default"] = "0" }),
            ["stages"] = new JsonArray(new JsonObject
            {
                ["refId"] = "1",
                ["type"] = "evaluateVariables",
                ["variables"] = new JsonArray(
                    new JsonObject { ["key"] = "next", ["value"] = "${new Integer(parameters['iteration']) + 1}" },
                    new JsonObject { ["key"] = "share", ["value"] = "${(0.8 * 5).intValue()}" }),
            }),
        });

        var id = await _client.TriggerAsync("test", "java-idioms", new JsonObject { ["parameters"] = new JsonObject { ["iteration"] = "6" } });
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");

        Assert.Equal(7, Stage(execution, "1")["outputs"]!["next"]!.GetValue<long>());
        Assert.Equal(4, Stage(execution, "1")["outputs"]!["share"]!.GetValue<long>());
    }
}
