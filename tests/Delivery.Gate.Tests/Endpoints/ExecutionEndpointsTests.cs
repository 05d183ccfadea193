using System.Net;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;
using static Delivery.Gate.Tests.TestHost.GateClient;

namespace Delivery.Gate.Tests.Endpoints;

public sealed class ExecutionEndpointsTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private readonly GateClient _client = factory.CreateGateClient();

    [Fact]
    public async Task Executions_ByPipelineConfigIds_AreNewestFirstAndLimitedPerConfig()
    {
        var app = Unique("byconfig");
        var first = await _client.SaveStagesAsync(app, "first", Wait("1", 0));
        var second = await _client.SaveStagesAsync(app, "second", Wait("1", 0));
        var a1 = await _client.TriggerAsync(app, "first");
        var a2 = await _client.TriggerAsync(app, "first");
        var b1 = await _client.TriggerAsync(app, "second");
        foreach (var id in new[] { a1, a2, b1 })
        {
            await _client.WaitForStatusAsync(id, "SUCCEEDED");
        }

        var response = await _client.Http.GetAsync($"/executions?pipelineConfigIds={first["id"]},{second["id"]}&limit=1");

        var listed = (await OkJsonAsync(response)).AsArray().Select(e => e!["id"]!.GetValue<string>()).ToList();
        Assert.Equal([b1, a2], listed);
    }

    [Fact]
    public async Task Executions_FilteredByStatus_OnlyListThatStatus()
    {
        var app = Unique("bystatus");
        var config = await _client.SaveStagesAsync(app, "p", Wait("1", 0));
        var done = await _client.TriggerAsync(app, "p");
        await _client.WaitForStatusAsync(done, "SUCCEEDED");

        var running = await OkJsonAsync(await _client.Http.GetAsync($"/executions?pipelineConfigIds={config["id"]}&statuses=RUNNING"));
        var succeeded = await OkJsonAsync(await _client.Http.GetAsync($"/executions?pipelineConfigIds={config["id"]}&statuses=SUCCEEDED"));

        Assert.Empty(running.AsArray());
        Assert.Equal(done, succeeded.AsArray().Single()!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Executions_WithoutPipelineConfigIds_IsABadRequest()
    {
        var response = await _client.Http.GetAsync("/executions");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "pipelineConfigIds");
    }
}
