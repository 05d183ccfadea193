using System.Text.Json.Nodes;
using Delivery.Echo.Tests.TestHost;

namespace Delivery.Echo.Tests.Triggers;

public sealed class PipelineTriggerTests(EchoFactory factory) : IClassFixture<EchoFactory>
{
    private readonly DeliveryClient client = factory.Client();

    [Fact]
    public async Task A_pipeline_that_ends_with_a_listed_status_starts_the_downstream_pipeline()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        var upstream = await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "build", new JsonObject { ["type"] = "webhook", ["enabled"] = true, ["source"] = source }));
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", new JsonObject
        {
            ["type"] = "pipeline", ["enabled"] = true, ["application"] = app, ["pipeline"] = upstream["id"]!.GetValue<string>(), ["status"] = new JsonArray("successful"),
        }));
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "on-failure", new JsonObject
        {
            ["type"] = "pipeline", ["enabled"] = true, ["application"] = app, ["pipeline"] = upstream["id"]!.GetValue<string>(), ["status"] = new JsonArray("failed"),
        }));

        var answer = await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}", "{}"));
        var parentId = Assert.Single(DeliveryClient.Started(answer));

        var downstream = await WaitForExecutionAsync(app, "deploy");
        var trigger = downstream["trigger"]!;
        Assert.Equal("pipeline", trigger["type"]!.GetValue<string>());
        Assert.Equal(parentId, trigger["parentExecution"]!["id"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", trigger["parentExecution"]!["status"]!.GetValue<string>());
        Assert.Equal("build", trigger["parentPipelineName"]!.GetValue<string>());
        await client.WaitForAsync(downstream["id"]!.GetValue<string>(), e => DeliveryClient.Status(e) == "SUCCEEDED");
        Assert.DoesNotContain(await client.ExecutionsOfAsync(app), e => e!["name"]!.GetValue<string>() == "on-failure");
    }

    private async Task<JsonObject> WaitForExecutionAsync(string app, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if ((await client.ExecutionsOfAsync(app)).FirstOrDefault(e => e!["name"]!.GetValue<string>() == name) is JsonObject found)
            {
                return found;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"No execution of '{name}' started.");
        return null!;
    }
}
