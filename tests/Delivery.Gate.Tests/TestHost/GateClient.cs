using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.Gate.Tests.TestHost;

/// <summary>Calls gate the way a user's script would, with helpers to save, trigger and wait on pipelines.</summary>
public sealed class GateClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    /// <summary>A fresh lower-case name, so tests that share a host never see each other's data.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string? user = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        if (user is not null)
        {
            request.Headers.Add("X-SPINNAKER-USER", user);
        }
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostAsync(string path, JsonNode body, string? user = null) =>
        SendAsync(HttpMethod.Post, path, body.ToJsonString(), user);

    public Task<HttpResponseMessage> PutAsync(string path, string? user = null) => SendAsync(HttpMethod.Put, path, null, user);

    public Task<HttpResponseMessage> PatchAsync(string path, JsonNode body, string? user = null) =>
        SendAsync(HttpMethod.Patch, path, body.ToJsonString(), user);

    /// <summary>Reads a successful JSON answer; fails the test with the status and body otherwise.</summary>
    public static async Task<JsonNode> OkJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }

    /// <summary>POSTs a pipeline body as given (possibly not JSON at all).</summary>
    public Task<HttpResponseMessage> SavePipelineRawAsync(string json) => SendAsync(HttpMethod.Post, "/pipelines", json);

    /// <summary>Asserts that no config of that name exists and nothing ran for the application.</summary>
    public async Task AssertNeverSavedOrStartedAsync(string app, string name)
    {
        await Problems.AssertProblemAsync(await Http.GetAsync($"/applications/{app}/pipelineConfigs/{name}"), HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(await TriggerRawAsync(app, name), HttpStatusCode.NotFound, name);
        Assert.Empty((await OkJsonAsync(await Http.GetAsync($"/applications/{app}/pipelines"))).AsArray());
    }

    public async Task<JsonObject> SavePipelineAsync(JsonObject pipeline) =>
        (await OkJsonAsync(await PostAsync("/pipelines", pipeline))).AsObject();

    /// <summary>Saves a pipeline of the given stages and returns the saved config.</summary>
    public Task<JsonObject> SaveStagesAsync(string application, string name, params JsonObject[] stages) =>
        SavePipelineAsync(new JsonObject { ["application"] = application, ["name"] = name, ["stages"] = new JsonArray(stages) });

    public Task<HttpResponseMessage> TriggerRawAsync(string application, string name, JsonObject? trigger = null, string? user = null) =>
        PostAsync($"/pipelines/{application}/{Uri.EscapeDataString(name)}", trigger ?? [], user);

    /// <summary>Triggers a pipeline and returns the id of the new execution.</summary>
    public async Task<string> TriggerAsync(string application, string name, JsonObject? trigger = null, string? user = null)
    {
        var answer = await OkJsonAsync(await TriggerRawAsync(application, name, trigger, user), HttpStatusCode.Accepted);
        var reference = answer["ref"]!.GetValue<string>();
        Assert.StartsWith("/pipelines/", reference);
        return reference["/pipelines/".Length..];
    }

    /// <summary>Saves a pipeline of the given stages, triggers it and returns the execution id.</summary>
    public async Task<string> RunAsync(string application, params JsonObject[] stages)
    {
        var name = Unique("pipeline");
        await SaveStagesAsync(application, name, stages);
        return await TriggerAsync(application, name);
    }

    public async Task<JsonObject> GetExecutionAsync(string id) =>
        (await OkJsonAsync(await Http.GetAsync($"/pipelines/{id}"))).AsObject();

    /// <summary>Polls the execution until the condition holds; fails with the last state after the timeout.</summary>
    public async Task<JsonObject> WaitForAsync(string id, Func<JsonObject, bool> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        JsonObject execution;
        do
        {
            execution = await GetExecutionAsync(id);
            if (condition(execution))
            {
                return execution;
            }
            await Task.Delay(10);
        }
        while (watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)));
        Assert.Fail($"Timed out waiting on execution {id}; last state: {execution.ToJsonString()}");
        return execution;
    }

    public Task<JsonObject> WaitForStatusAsync(string id, string status) => WaitForAsync(id, e => Status(e) == status);

    public Task<JsonObject> WaitForStageStatusAsync(string id, string refId, string status) =>
        WaitForAsync(id, e => Status(Stage(e, refId)) == status);

    public static JsonObject Stage(JsonObject execution, string refId) =>
        execution["stages"]!.AsArray().Select(s => s!.AsObject()).Single(s => s["refId"]!.GetValue<string>() == refId);

    public static string StageId(JsonObject execution, string refId) => Stage(execution, refId)["id"]!.GetValue<string>();

    public static string Status(JsonObject node) => node["status"]!.GetValue<string>();

    public static JsonObject Wait(string refId, double seconds, params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["type"] = "wait",
        ["name"] = $"wait {refId}",
        ["waitTime"] = seconds,
        ["requisiteStageRefIds"] = new JsonArray([.. requisites.Select(r => (JsonNode)r)]),
    };

    public static JsonObject Judgment(string refId, params string[] inputs) => new()
    {
        ["refId"] = refId,
        ["type"] = "manualJudgment",
        ["name"] = $"judge {refId}",
        ["judgmentInputs"] = new JsonArray([.. inputs.Select(i => (JsonNode)new JsonObject { ["value"] = i })]),
        ["requisiteStageRefIds"] = new JsonArray(),
    };
}
