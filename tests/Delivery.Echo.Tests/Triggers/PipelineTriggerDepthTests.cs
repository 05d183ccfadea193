using System.Text.Json.Nodes;
using Delivery.Echo.Tests.TestHost;

namespace Delivery.Echo.Tests.Triggers;

/// <summary>A host that lets pipeline-trigger chains reach three ancestors.</summary>
public sealed class ShallowChainEchoFactory() : EchoFactory(new Dictionary<string, string?> { ["Delivery:Echo:MaxPipelineTriggerDepth"] = "3" });

/// <summary>Pipeline triggers that loop (A triggers B, B triggers A) stop at <c>Delivery:Echo:MaxPipelineTriggerDepth</c>.</summary>
public sealed class PipelineTriggerDepthTests(ShallowChainEchoFactory factory) : IClassFixture<ShallowChainEchoFactory>
{
    private readonly DeliveryClient client = factory.Client();

    private static JsonObject On(string app, string pipelineId) => new()
    {
        ["type"] = "pipeline", ["enabled"] = true, ["application"] = app, ["pipeline"] = pipelineId, ["status"] = new JsonArray("successful"),
    };

    private static int Ancestors(JsonNode execution)
    {
        var count = 0;
        for (var node = execution["trigger"]?["parentExecution"]; node is not null; node = node["trigger"]?["parentExecution"])
        {
            count++;
        }
        return count;
    }

    [Fact]
    public async Task A_loop_of_pipeline_triggers_stops_when_the_next_execution_would_have_more_ancestors_than_the_bound()
    {
        var app = DeliveryClient.Unique("app");
        var a = (await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "a")))["id"]!.GetValue<string>();
        var b = (await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "b", On(app, a))))["id"]!.GetValue<string>();
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "a", On(app, b)));

        await client.TriggerAsync(app, "a");

        // a (by hand), b, a, b: the next a would have 4 ancestors.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await client.ExecutionsOfAsync(app)).Count < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var last = (await client.ExecutionsOfAsync(app)).Single(e => Ancestors(e!) == 3);
        await client.WaitForAsync(last!["id"]!.GetValue<string>(), e => DeliveryClient.Status(e) == "SUCCEEDED");
        // Each hop takes well under a second here; this is ample time for a fifth execution to appear if nothing stopped it.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var executions = await client.ExecutionsOfAsync(app);
        Assert.Equal(4, executions.Count);
        Assert.Equal([0, 1, 2, 3], executions.Select(e => Ancestors(e!)).Order());
        Assert.Equal(["a", "a", "b", "b"], executions.Select(e => e!["name"]!.GetValue<string>()).Order());
    }
}
