using System.Net;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;
using static Delivery.Gate.Tests.TestHost.GateClient;

namespace Delivery.Gate.Tests.Endpoints;

/// <summary>Ad-hoc tasks (Spinnaker's orchestrations): <c>POST /applications/{app}/tasks</c> and <c>GET /tasks/{id}</c>.</summary>
public sealed class TaskEndpointsTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private readonly GateClient _client = factory.CreateGateClient();

    [Fact]
    public async Task Task_RunsItsJobInOrder_AsAnOrchestration()
    {
        var app = Unique("adhoc");
        var response = await _client.PostAsync($"/applications/{app}/tasks", new JsonObject
        {
            ["description"] = "Resize demo-web-v001 to 3 instances",
            ["job"] = new JsonArray(new JsonObject { ["type"] = "wait", ["waitTime"] = 0 }, new JsonObject { ["type"] = "wait", ["waitTime"] = 0, ["name"] = "second" }),
        }, user: "alice");

        var reference = (await OkJsonAsync(response, HttpStatusCode.Accepted))["ref"]!.GetValue<string>();
        Assert.StartsWith("/tasks/", reference);
        var task = await WaitForTaskAsync(reference, "SUCCEEDED");
        Assert.Equal("ORCHESTRATION", task["type"]!.GetValue<string>());
        Assert.Equal("Resize demo-web-v001 to 3 instances", task["name"]!.GetValue<string>());
        Assert.Equal(app, task["application"]!.GetValue<string>());
        Assert.Equal("alice", task["trigger"]!["user"]!.GetValue<string>());
        var second = Stage(task, "2");
        Assert.Equal(["1"], second["requisiteStageRefIds"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.True(second["startTime"]!.GetValue<long>() >= Stage(task, "1")["endTime"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("{}", "'job'")]
    [InlineData("{\"job\": []}", "'job'")]
    [InlineData("{\"job\": [{\"type\": \"noSuchStage\"}]}", "job[0]")]
    [InlineData("{\"job\": [{\"waitTime\": 1}]}", "'type' is required")]
    [InlineData("{\"job\": [7]}", "job[0] must be an object")]
    [InlineData("{\"job\": [{\"type\": \"wait\", \"waitTime\": \"abc\"}]}", "waitTime")]
    [InlineData("[1, 2]", "object")]
    public async Task MalformedTask_Is400NamingTheProblem(string body, string mention)
    {
        var response = await _client.SendAsync(HttpMethod.Post, $"/applications/{Unique("bad")}/tasks", body);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, mention);
    }

    [Fact]
    public async Task TaskWithTooManyStages_Is400()
    {
        var job = new JsonArray([.. Enumerable.Range(0, 21).Select(_ => (JsonNode)new JsonObject { ["type"] = "wait", ["waitTime"] = 0 })]);

        var response = await _client.PostAsync($"/applications/{Unique("big")}/tasks", new JsonObject { ["job"] = job });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "at most 20");
    }

    [Fact]
    public async Task UnknownTask_Is404() =>
        await Problems.AssertProblemAsync(await _client.Http.GetAsync("/tasks/01NOSUCHTASK0000000000000"), HttpStatusCode.NotFound);

    private async Task<JsonObject> WaitForTaskAsync(string reference, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var task = (await OkJsonAsync(await _client.Http.GetAsync(reference))).AsObject();
            if (Status(task) == status || DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, Status(task));
                return task;
            }
            await Task.Delay(20);
        }
    }
}
