using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;

namespace Delivery.Orchestrator.Tests.Engine;

public sealed class RetentionTests
{
    [Fact]
    public async Task CompletedExecutions_BeyondTheLimitAreDeletedOldestFirst()
    {
        using var factory = new StandaloneFactory(null, new Dictionary<string, string?> { ["Delivery:Orchestrator:ExecutionsPerPipeline"] = "3", ["Delivery:Orchestrator:RetentionGraceSeconds"] = "0" });
        var client = factory.CreateDeliveryClient();
        var name = await client.SaveStagesAsync("retention", DeliveryClient.Wait("1", 0));
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var id = await client.TriggerAsync("test", name);
            await client.WaitForStatusAsync(id, "SUCCEEDED");
            ids.Add(id);
        }

        JsonArray listed = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            listed = JsonNode.Parse(await client.Http.GetStringAsync("/applications/test/pipelines?limit=50"))!.AsArray();
            if (listed.Count == 3)
            {
                break;
            }
            await Task.Delay(20);
        }

        Assert.Equal(ids.TakeLast(3).Reverse(), listed.Select(e => e!["id"]!.GetValue<string>()));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.Http.GetAsync($"/pipelines/{ids[0]}")).StatusCode);
    }

    [Fact]
    public async Task CompletedExecutions_WithinTheGracePeriod_AreKept()
    {
        using var factory = new StandaloneFactory(null, new Dictionary<string, string?> { ["Delivery:Orchestrator:ExecutionsPerPipeline"] = "2" });
        var client = factory.CreateDeliveryClient();
        var name = await client.SaveStagesAsync("retention-grace", DeliveryClient.Wait("1", 0));
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var id = await client.TriggerAsync("test", name);
            await client.WaitForStatusAsync(id, "SUCCEEDED");
            ids.Add(id);
        }
        await Task.Delay(200);

        foreach (var id in ids)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.Http.GetAsync($"/pipelines/{id}")).StatusCode);
        }
    }
}
