using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.Stages.Support;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Stages;

[Collection(nameof(GenericStagesCollection))]
public sealed class CheckPreconditionsStageTests(GenericStagesFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private static JsonObject Check(string refId, JsonArray preconditions, params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["type"] = "checkPreconditions",
        ["name"] = $"check {refId}",
        ["preconditions"] = preconditions,
        ["requisiteStageRefIds"] = new JsonArray([.. requisites.Select(r => (JsonNode)r)]),
    };

    private static JsonObject Expression(JsonNode expression, bool? failPipeline = null, string? failureMessage = null)
    {
        var precondition = new JsonObject
        {
            ["type"] = "expression",
            ["context"] = new JsonObject { ["expression"] = expression },
        };
        if (failPipeline is { } fail)
        {
            precondition["failPipeline"] = fail;
        }
        if (failureMessage is not null)
        {
            precondition["context"]!["failureMessage"] = failureMessage;
        }
        return precondition;
    }

    private static JsonObject StageStatus(string stageName, string status) => new()
    {
        ["type"] = "stageStatus",
        ["context"] = new JsonObject { ["stageName"] = stageName, ["stageStatus"] = status },
        ["failPipeline"] = true,
    };

    private static string[] Errors(JsonObject stage) =>
        [.. stage["context"]!["exception"]!["details"]!["errors"]!.AsArray().Select(e => e!.GetValue<string>())];

    private Task<string> TriggerAsync(string name, string env) =>
        _client.TriggerAsync("test", name, new JsonObject { ["parameters"] = new JsonObject { ["env"] = env } });

    [Fact]
    public async Task AllPreconditionsHold_StageSucceeds()
    {
        var name = await _client.SaveStagesAsync("preconditions-hold",
            Wait("1", 0),
            Check("2", [
                Expression("${parameters.env == 'prod'}"),
                Expression("parameters.env.startsWith('pr')"),
                Expression("true"),
                StageStatus("wait 1", "SUCCEEDED"),
            ], "1"));

        var execution = await _client.WaitForAsync(await TriggerAsync(name, "prod"), e => Status(e) is not "RUNNING" and not "NOT_STARTED");

        Assert.Equal("SUCCEEDED", Status(execution));
        var results = Stage(execution, "2")["context"]!["preconditionResults"]!.AsArray();
        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.True(r!["passed"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task FalseExpression_FailsThePipelineNamingThePrecondition()
    {
        var name = await _client.SaveStagesAsync("precondition-false",
            Check("1", [Expression(true), Expression("${parameters.env == 'prod'}", failureMessage: "only prod deploys from here")]),
            Wait("2", 0, "1"));

        var execution = await _client.WaitForStatusAsync(await TriggerAsync(name, "staging"), "TERMINAL");

        var stage = Stage(execution, "1");
        Assert.Equal("TERMINAL", Status(stage));
        var error = Assert.Single(Errors(stage));
        Assert.Contains("Precondition 2 (expression) failed", error);
        Assert.Contains("only prod deploys from here", error);
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "2")));
    }

    [Fact]
    public async Task FailPipelineFalse_StopsOnlyItsBranch()
    {
        var name = await _client.SaveStagesAsync("precondition-stop-branch",
            Check("1", [Expression(false, failPipeline: false)]),
            Wait("2", 0, "1"),
            Wait("3", 0.1));

        var execution = await _client.WaitForAsync(await TriggerAsync(name, "prod"), e => Status(e) is "SUCCEEDED" or "TERMINAL");

        Assert.Equal("SUCCEEDED", Status(execution));
        Assert.Equal("STOPPED", Status(Stage(execution, "1")));
        Assert.Contains("Precondition 1 (expression) failed", Errors(Stage(execution, "1"))[0]);
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "2")));
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "3")));
    }

    [Fact]
    public async Task StageStatusMismatchAndUnknownType_AreBothReported()
    {
        var name = await _client.SaveStagesAsync("precondition-status",
            Wait("1", 0),
            Check("2", [StageStatus("wait 1", "TERMINAL"), new JsonObject { ["type"] = "clusterSize", ["context"] = new JsonObject() }], "1"));

        var execution = await _client.WaitForStatusAsync(await TriggerAsync(name, "prod"), "TERMINAL");

        var error = Assert.Single(Errors(Stage(execution, "2")));
        Assert.Contains("the status of stage 'wait 1' is SUCCEEDED, expected TERMINAL", error);
        Assert.Contains("unknown type 'clusterSize'", error);
    }

    [Fact]
    public async Task InvalidBareExpression_FailsNamingTheExpression()
    {
        var name = await _client.SaveStagesAsync("precondition-bad-expression", Check("1", [Expression("parameters.env ==")]));

        var execution = await _client.WaitForStatusAsync(await TriggerAsync(name, "prod"), "TERMINAL");

        var error = Assert.Single(Errors(Stage(execution, "1")));
        Assert.Contains("Failed to evaluate expression [parameters.env ==]", error);
    }
}
