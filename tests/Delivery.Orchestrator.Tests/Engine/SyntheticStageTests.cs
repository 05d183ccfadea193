using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

[Collection(nameof(EngineCollection))]
public sealed class SyntheticStageTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private static JsonObject Synthetic(JsonObject execution, string parentRefId, string name) =>
        execution["stages"]!.AsArray().Select(s => s!.AsObject())
            .Single(s => s["parentStageId"]?.GetValue<string>() == Stage(execution, parentRefId)["id"]!.GetValue<string>() && s["name"]!.GetValue<string>() == name);

    [Fact]
    public async Task BeforeAndAfterStages_RunAroundTheStageTasks()
    {
        var name = await _client.SaveStagesAsync("synthetic", new JsonObject { ["refId"] = "1", ["type"] = "testWrapped", ["waitTime"] = 0.05 }, Wait("2", 0, "1"));

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");

        var parent = Stage(execution, "1");
        var before = Synthetic(execution, "1", "before");
        var after = Synthetic(execution, "1", "after");
        Assert.Equal("STAGE_BEFORE", before["syntheticStageOwner"]!.GetValue<string>());
        Assert.Equal("STAGE_AFTER", after["syntheticStageOwner"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", Status(before));
        Assert.Equal("SUCCEEDED", Status(after));
        var task = parent["tasks"]!.AsArray()[0]!.AsObject();
        Assert.True(Time(task, "startTime") >= Time(before, "endTime"));
        Assert.True(Time(after, "startTime") >= Time(task, "endTime"));
        Assert.True(Time(parent, "endTime") >= Time(after, "endTime"));
        Assert.True(Time(Stage(execution, "2"), "startTime") >= Time(parent, "endTime"));
        Assert.DoesNotContain(execution["stages"]!.AsArray(), s => s!["name"]!.GetValue<string>() == "cleanup");
    }

    [Fact]
    public async Task FailingStage_RunsItsOnFailureStageAndStaysFailed()
    {
        var name = await _client.SaveStagesAsync("synthetic-failure",
            new JsonObject { ["refId"] = "1", ["type"] = "testWrapped", ["failInside"] = true }, Wait("2", 0, "1"));

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "TERMINAL");

        var cleanup = Synthetic(execution, "1", "cleanup");
        Assert.Equal("SUCCEEDED", Status(cleanup));
        Assert.True(cleanup["outputs"]!["cleanedUp"]!.GetValue<bool>());
        Assert.Equal("TERMINAL", Status(Stage(execution, "1")));
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "2")));
    }
}
