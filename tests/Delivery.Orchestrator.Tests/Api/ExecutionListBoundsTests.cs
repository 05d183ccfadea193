using System.Net;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Api;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Api;

/// <summary>
/// Reads are bounded (issue 7, section 2): <c>/executions?pipelineConfigIds=</c> cannot ask for unbounded numbers of
/// documents, and a status filter reads the documents of matching executions only.
/// </summary>
[Collection(nameof(EngineCollection))]
public sealed class ExecutionListBoundsTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    [Fact]
    public async Task TooManyPipelineConfigIds_AreRefusedWithAProblemNamingTheBound()
    {
        var ids = string.Join(',', Enumerable.Range(0, ExecutionsApiConsumer.MaxPipelineConfigIds + 1).Select(i => $"config-{i}"));

        var response = await _client.Http.GetAsync($"/executions?pipelineConfigIds={ids}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("pipelineConfigIds", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConfigsTimesLimitOverTheBound_IsRefused_AndWithinItIsAnswered()
    {
        var ids = string.Join(',', Enumerable.Range(0, 50).Select(i => $"config-{i}"));

        var tooMany = await _client.Http.GetAsync($"/executions?pipelineConfigIds={ids}&limit=41");
        var fine = await _client.Http.GetAsync($"/executions?pipelineConfigIds={ids}&limit=40");

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("limit", await tooMany.Content.ReadAsStringAsync());
        Assert.True(fine.IsSuccessStatusCode, $"{(int)fine.StatusCode}");
    }

    [Fact]
    public async Task StatusFilter_AnswersOnlyMatchingExecutions_NewestFirst()
    {
        var saved = await _client.SavePipelineAsync(new JsonObject
        {
            ["application"] = "test",
            ["name"] = "status-filter",
            ["stages"] = new JsonArray(new JsonObject
            {
                ["refId"] = "1", ["type"] = "wait", ["name"] = "wait", ["waitTime"] = "${trigger.parameters.seconds}",
            }),
            ["parameterConfig"] = new JsonArray(new JsonObject { ["name"] = "seconds", ["default"] = "0" }),
        });
        var configId = saved["id"]!.GetValue<string>();
        var quick = await _client.TriggerAsync("test", "status-filter");
        await _client.WaitForStatusAsync(quick, "SUCCEEDED");
        var slow = await _client.TriggerAsync("test", "status-filter", new JsonObject { ["parameters"] = new JsonObject { ["seconds"] = "30" } });
        await _client.WaitForStageStatusAsync(slow, "1", "RUNNING");

        var running = await List($"/executions?pipelineConfigIds={configId}&statuses=RUNNING");
        var succeeded = await List($"/executions?pipelineConfigIds={configId}&statuses=SUCCEEDED,TERMINAL");
        var all = await List($"/executions?pipelineConfigIds={configId}");

        Assert.Equal([slow], running);
        Assert.Equal([quick], succeeded);
        Assert.Equal([slow, quick], all);
        await _client.Http.PutAsync($"/pipelines/{slow}/cancel", null);
    }

    private async Task<List<string>> List(string path)
    {
        var response = await _client.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return [.. JsonNode.Parse(body)!.AsArray().Select(e => e!["id"]!.GetValue<string>())];
    }
}
