using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Tests.TestHost;

/// <summary>Calls the gate API the way a user's script would, with helpers to wait for states.</summary>
public sealed class DeliveryClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<JsonObject> SavePipelineAsync(JsonObject pipeline)
    {
        var response = await Http.PostAsync("/pipelines", Json(pipeline));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Saving the pipeline failed with {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Saves a pipeline of the given stages for application "test" and returns its name.</summary>
    public async Task<string> SaveStagesAsync(string name, params JsonObject[] stages)
    {
        await SavePipelineAsync(new JsonObject { ["application"] = "test", ["name"] = name, ["stages"] = new JsonArray(stages) });
        return name;
    }

    public async Task<string> TriggerAsync(string application, string name, JsonObject? trigger = null)
    {
        var response = await Http.PostAsync($"/pipelines/{application}/{Uri.EscapeDataString(name)}", Json(trigger ?? []));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Trigger failed with {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["ref"]!.GetValue<string>().Split('/')[^1];
    }

    public async Task<JsonObject> GetExecutionAsync(string id)
    {
        var response = await Http.GetAsync($"/pipelines/{id}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET execution failed with {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Polls the execution until the condition holds; fails the test with the last state after the timeout.</summary>
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

    public Task<JsonObject> WaitForStatusAsync(string id, string status, TimeSpan? timeout = null) =>
        WaitForAsync(id, e => Status(e) == status, timeout);

    public Task<JsonObject> WaitForStageStatusAsync(string id, string refId, string status, TimeSpan? timeout = null) =>
        WaitForAsync(id, e => Status(Stage(e, refId)) == status, timeout);

    public Task<HttpResponseMessage> PutAsync(string path) => Http.PutAsync(path, null);

    public Task<HttpResponseMessage> PatchAsync(string path, JsonObject body) => Http.PatchAsync(path, Json(body));

    public static JsonObject Stage(JsonObject execution, string refId) =>
        execution["stages"]!.AsArray().Select(s => s!.AsObject()).Single(s => s["refId"]!.GetValue<string>() == refId);

    public static string Status(JsonObject node) => node["status"]!.GetValue<string>();

    public static long Time(JsonObject node, string field) => node[field]!.GetValue<long>();

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static JsonObject Wait(string refId, double seconds, params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["type"] = "wait",
        ["name"] = $"wait {refId}",
        ["waitTime"] = seconds,
        ["requisiteStageRefIds"] = new JsonArray([.. requisites.Select(r => (JsonNode)r)]),
    };
}
