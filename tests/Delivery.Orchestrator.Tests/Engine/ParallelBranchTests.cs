using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

[Collection(nameof(EngineCollection))]
public sealed class ParallelBranchTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    [Fact]
    public async Task ForkAndJoin_BranchesOverlapAndJoinWaitsForBoth()
    {
        var name = await _client.SaveStagesAsync("fork-join",
            Wait("1", 0), Wait("2", 0.4, "1"), Wait("3", 0.4, "1"), Wait("4", 0, "2", "3"));

        var id = await _client.TriggerAsync("test", name);
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");

        var (s1, s2, s3, s4) = (Stage(execution, "1"), Stage(execution, "2"), Stage(execution, "3"), Stage(execution, "4"));
        Assert.All([s1, s2, s3, s4], s => Assert.Equal("SUCCEEDED", Status(s)));
        Assert.Equal(4, execution["stages"]!.AsArray().Count);
        Assert.Null(execution["topLevelStages"]);
        Assert.True(Time(s2, "startTime") >= Time(s1, "endTime"));
        Assert.True(Time(s3, "startTime") >= Time(s1, "endTime"));
        // 2 and 3 overlap in time: each starts before the other ends.
        Assert.True(Time(s2, "startTime") < Time(s3, "endTime") && Time(s3, "startTime") < Time(s2, "endTime"),
            $"2 ran {Time(s2, "startTime")}..{Time(s2, "endTime")}, 3 ran {Time(s3, "startTime")}..{Time(s3, "endTime")}");
        Assert.True(Time(s4, "startTime") >= Math.Max(Time(s2, "endTime"), Time(s3, "endTime")));
    }

    [Fact]
    public async Task WaitStage_WaitsAtLeastWaitTime()
    {
        var name = await _client.SaveStagesAsync("wait-time", Wait("1", 0.3));

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");

        var stage = Stage(execution, "1");
        Assert.InRange(Time(stage, "endTime") - Time(stage, "startTime"), 300, 2_000);
    }

    [Fact]
    public async Task EmptyPipeline_Succeeds()
    {
        var name = await _client.SaveStagesAsync("empty");

        await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");
    }
}
