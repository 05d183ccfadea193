using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// The stored size of an execution is capped (issue 7, section 2): a change that would store more than
/// <c>Delivery:Orchestrator:MaxExecutionBytes</c> is not saved; its stage fails TERMINAL with the reason.
/// </summary>
public sealed class ExecutionSizeTests(ExecutionSizeTests.SmallCapHost host) : IClassFixture<ExecutionSizeTests.SmallCapHost>
{
    private readonly DeliveryClient _client = host.Factory.CreateDeliveryClient();

    [Fact]
    public async Task StageWhoseOutputWouldExceedTheCap_FailsTerminal_AndOthersRunOn()
    {
        var name = await _client.SaveStagesAsync("too-large",
            new JsonObject
            {
                ["refId"] = "1",
                ["type"] = "evaluateVariables",
                ["variables"] = new JsonArray(new JsonObject { ["key"] = "big", ["value"] = "${'a' * 100000}" }),
            },
            Wait("2", 0, "1"));
        var neighbour = await _client.SaveStagesAsync("too-large-neighbour", Wait("1", 0.1), Wait("2", 0, "1"));

        var id = await _client.TriggerAsync("test", name);
        var other = await _client.TriggerAsync("test", neighbour);
        var failed = await _client.WaitForStatusAsync(id, "TERMINAL");
        var finished = await _client.WaitForStatusAsync(other, "SUCCEEDED");

        var stage = Stage(failed, "1");
        Assert.Equal("TERMINAL", Status(stage));
        var error = stage["context"]!["exception"]!["details"]!["error"]!.GetValue<string>();
        Assert.Contains("MaxExecutionBytes", error);
        Assert.Contains("65,536", error);
        Assert.Null(stage["outputs"]?["big"]);
        Assert.Equal("NOT_STARTED", Status(Stage(failed, "2")));
        Assert.True(failed.ToJsonString().Length < 65_536);
        Assert.Equal("SUCCEEDED", Status(Stage(finished, "2")));
    }

    [Fact]
    public async Task ExecutionsWithinTheCap_Run()
    {
        var name = await _client.SaveStagesAsync("within-cap",
            new JsonObject
            {
                ["refId"] = "1",
                ["type"] = "evaluateVariables",
                ["variables"] = new JsonArray(new JsonObject { ["key"] = "small", ["value"] = "${'a' * 1000}" }),
            });

        var done = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");

        Assert.Equal(1000, Stage(done, "1")["outputs"]!["small"]!.GetValue<string>().Length);
    }

    /// <summary>A host whose executions may store at most 64 KiB.</summary>
    public sealed class SmallCapHost : IDisposable
    {
        public StandaloneFactory Factory { get; } = new(settings: new Dictionary<string, string?>
        {
            ["Delivery:Orchestrator:MaxExecutionBytes"] = "65536",
        });

        public void Dispose() => Factory.Dispose();
    }
}
