using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>One evaluation budget per stage start: no pipeline's expressions can take the server down.</summary>
[Collection(nameof(EngineCollection))]
public sealed class ExpressionBudgetTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    [Fact]
    public async Task TenThousandMillionCharacterExpressions_FailTheirStage_WhileOtherExecutionsFinish()
    {
        var variables = new JsonArray([.. Enumerable.Range(0, 10_000).Select(i =>
            (JsonNode)new JsonObject { ["key"] = $"v{i}", ["value"] = "${'a'*999999}" })]);
        var name = await _client.SaveStagesAsync("expression-bomb",
            new JsonObject { ["refId"] = "1", ["type"] = "evaluateVariables", ["variables"] = variables });
        var neighbour = await _client.SaveStagesAsync("expression-bomb-neighbour", Wait("1", 0.2), Wait("2", 0, "1"));

        var bomb = await _client.TriggerAsync("test", name);
        var other = await _client.TriggerAsync("test", neighbour);
        var failed = await _client.WaitForStatusAsync(bomb, "TERMINAL", TimeSpan.FromSeconds(30));
        var finished = await _client.WaitForStatusAsync(other, "SUCCEEDED", TimeSpan.FromSeconds(30));

        var error = Stage(failed, "1")["context"]!["exception"]!["details"]!["error"]!.GetValue<string>();
        Assert.Contains("budget", error);
        Assert.Contains("characters", error);
        Assert.Null(Stage(failed, "1")["outputs"]?["v1"]);
        Assert.Equal("SUCCEEDED", Status(Stage(finished, "2")));
    }

    [Fact]
    public async Task ManyCheapExpressions_WithinTheBudget_Run()
    {
        var variables = new JsonArray([.. Enumerable.Range(0, 500).Select(i =>
            (JsonNode)new JsonObject { ["key"] = $"n{i}", ["value"] = $"${{{i} + 1}}" })]);
        var name = await _client.SaveStagesAsync("many-cheap-expressions",
            new JsonObject { ["refId"] = "1", ["type"] = "evaluateVariables", ["variables"] = variables });

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");

        Assert.Equal(500, Stage(execution, "1")["outputs"]!["n499"]!.GetValue<long>());
    }
}
