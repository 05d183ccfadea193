using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// A message that can never be applied (issue 7, section 4) ends its stage TERMINAL with the reason, as Orca's
/// dead-message handler does, instead of being redelivered forever while the execution stays RUNNING.
/// </summary>
[Collection(nameof(EngineCollection))]
public sealed class DeadMessageTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    [Fact]
    public async Task StageWhoseStartAlwaysThrows_EndsTerminalWithTheReason()
    {
        var name = await _client.SaveStagesAsync("poison",
            Wait("1", 0),
            new JsonObject { ["refId"] = "2", ["type"] = "testBroken", ["requisiteStageRefIds"] = new JsonArray("1") },
            Wait("3", 0, "2"));

        var failed = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "TERMINAL");

        Assert.Equal("SUCCEEDED", Status(Stage(failed, "1")));
        var broken = Stage(failed, "2");
        Assert.Equal("TERMINAL", Status(broken));
        var error = broken["context"]!["exception"]!["details"]!["error"]!.GetValue<string>();
        Assert.Contains("could not apply", error);
        Assert.Contains("the broken stage type has no tasks", error);
        Assert.Equal("NOT_STARTED", Status(Stage(failed, "3")));
    }
}
