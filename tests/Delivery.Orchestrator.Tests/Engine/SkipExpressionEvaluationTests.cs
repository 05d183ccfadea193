using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary><c>skipExpressionEvaluation: true</c> leaves a stage's <c>${...}</c> text as written, as Orca does.</summary>
[Collection(nameof(EngineCollection))]
public sealed class SkipExpressionEvaluationTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    [Fact]
    public async Task StageThatSkipsEvaluation_KeepsItsExpressionsAsWritten_WhileOthersAreEvaluated()
    {
        var skipping = Wait("1", 0);
        skipping["comments"] = "built ${1 + 1} by ${trigger.user}";
        skipping["skipExpressionEvaluation"] = true;
        // Would fail the stage if it were evaluated.
        skipping["failOnFailedExpressions"] = true;
        skipping["manifest"] = "${#stage('No such stage').status}";
        var evaluating = Wait("2", 0, "1");
        evaluating["comments"] = "built ${1 + 1}";

        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync("skip-expression-evaluation", skipping, evaluating));
        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");

        var first = Stage(done, "1")["context"]!;
        Assert.Equal("built ${1 + 1} by ${trigger.user}", first["comments"]!.GetValue<string>());
        Assert.Equal("${#stage('No such stage').status}", first["manifest"]!.GetValue<string>());
        Assert.Null(first["expressionEvaluationSummary"]);
        Assert.Equal("built 2", Stage(done, "2")["context"]!["comments"]!.GetValue<string>());
    }
}
