using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Echo.Index;

namespace Delivery.Echo.Tests.TestHost;

/// <summary>Calls the host's HTTP API as a user, a CI server or a registry would.</summary>
public sealed class DeliveryClient(HttpClient http, TriggerIndex index)
{
    public HttpClient Http { get; } = http;

    /// <summary>A fresh lower-case name, so tests that share a host never see each other's data.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>Saves a pipeline (through gate) and rebuilds echo's trigger index so its triggers are live at once.</summary>
    public async Task<JsonObject> SavePipelineAsync(JsonObject pipeline)
    {
        var response = await Http.PostAsync("/pipelines", new StringContent(pipeline.ToJsonString(), Encoding.UTF8, "application/json"));
        var saved = (await JsonAsync(response)).AsObject();
        Assert.True(await index.RefreshAsync());
        return saved;
    }

    /// <summary>A pipeline with one short wait stage and the given triggers.</summary>
    public static JsonObject Pipeline(string application, string name, params JsonObject[] triggers) => new()
    {
        ["application"] = application,
        ["name"] = name,
        ["triggers"] = new JsonArray(triggers),
        ["stages"] = new JsonArray(new JsonObject { ["refId"] = "1", ["type"] = "wait", ["name"] = "Wait", ["waitTime"] = 0, ["requisiteStageRefIds"] = new JsonArray() }),
    };

    public Task<HttpResponseMessage> PostAsync(string path, string body, string contentType = "application/json", IDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return Http.SendAsync(request);
    }

    /// <summary>Reads a JSON answer with the expected status; fails the test with the status and body otherwise.</summary>
    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts a problem+json answer with the status, and returns its detail.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!["detail"]!.GetValue<string>();
    }

    /// <summary>The ids of the executions a trigger answer says it started (not duplicates).</summary>
    public static IReadOnlyList<string> Started(JsonNode answer) =>
        [.. answer["executions"]!.AsArray().Where(e => e!["duplicate"]?.GetValue<bool>() != true && e["ref"] is not null)
            .Select(e => e!["ref"]!.GetValue<string>()["/pipelines/".Length..])];

    /// <summary>Triggers a pipeline by hand (through gate) and returns the new execution's id.</summary>
    public async Task<string> TriggerAsync(string application, string name)
    {
        var answer = await JsonAsync(await PostAsync($"/pipelines/{application}/{name}", "{}"), HttpStatusCode.Accepted);
        return answer["ref"]!.GetValue<string>()["/pipelines/".Length..];
    }

    public async Task<JsonObject> GetExecutionAsync(string id) => (await JsonAsync(await Http.GetAsync($"/pipelines/{id}"))).AsObject();

    /// <summary>The executions of a pipeline config, newest first.</summary>
    public async Task<JsonArray> ExecutionsOfAsync(string application) =>
        (await JsonAsync(await Http.GetAsync($"/applications/{application}/pipelines?limit=100"))).AsArray();

    /// <summary>Polls the execution until the condition holds; fails with the last state after the timeout.</summary>
    public async Task<JsonObject> WaitForAsync(string id, Func<JsonObject, bool> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var execution = await GetExecutionAsync(id);
            if (condition(execution))
            {
                return execution;
            }
            if (watch.Elapsed > (timeout ?? TimeSpan.FromSeconds(15)))
            {
                Assert.Fail($"Execution {id} did not reach the expected state: {execution.ToJsonString()}");
            }
            await Task.Delay(50);
        }
    }

    public static string Status(JsonObject execution) => execution["status"]!.GetValue<string>();
}
