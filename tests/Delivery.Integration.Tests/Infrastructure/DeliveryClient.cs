using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>
/// Calls the gate API of one standalone process the way a user's script would. Polling helpers
/// ride out the moments when a process or Redis restarts (connection refused, 5xx), so that only
/// the final state decides a test.
/// </summary>
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

    public async Task<string> SaveStagesAsync(string application, string name, params JsonObject[] stages)
    {
        await SavePipelineAsync(new JsonObject { ["application"] = application, ["name"] = name, ["stages"] = new JsonArray(stages) });
        return name;
    }

    /// <summary>Triggers a pipeline and returns the new execution's id.</summary>
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

    /// <summary>The execution, or null (and why) when the server could not answer just now.</summary>
    public async Task<(JsonObject? Execution, string? Problem)> TryGetExecutionAsync(string id)
    {
        try
        {
            var response = await Http.GetAsync($"/pipelines/{id}");
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode
                ? (JsonNode.Parse(body)!.AsObject(), null)
                : (null, $"{(int)response.StatusCode}: {body}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// Polls the execution every <paramref name="pollMs"/> ms (default 50) until the condition holds; fails the test
    /// with the last state after the timeout.
    /// </summary>
    public async Task<JsonObject> WaitForAsync(string id, Func<JsonObject, bool> condition, TimeSpan timeout, string? what = null, int pollMs = 50)
    {
        var watch = Stopwatch.StartNew();
        JsonObject? last = null;
        string? problem = null;
        do
        {
            var (execution, error) = await TryGetExecutionAsync(id);
            if (execution is not null)
            {
                last = execution;
                if (condition(execution))
                {
                    return execution;
                }
            }
            else
            {
                problem = error;
            }
            await Task.Delay(pollMs);
        }
        while (watch.Elapsed < timeout);
        Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what ?? "a condition"} on execution {id}; "
            + $"last error: {problem ?? "none"}; last state: {last?.ToJsonString() ?? "never read"}");
        return last!;
    }

    public Task<JsonObject> WaitForStatusAsync(string id, string status, TimeSpan timeout) =>
        WaitForAsync(id, e => Status(e) == status || IsFinal(Status(e)), timeout, $"status {status}");

    public Task<JsonObject> WaitForStageStatusAsync(string id, string refId, string status, TimeSpan timeout) =>
        WaitForAsync(id, e => Status(Stage(e, refId)) == status, timeout, $"stage {refId} {status}");

    /// <summary>Gives a manual judgment; returns the HTTP status (409 when the stage no longer takes input).</summary>
    public async Task<(HttpStatusCode Status, string Body)> JudgeAsync(string executionId, string stageId, string judgment = "continue")
    {
        var response = await Http.PatchAsync($"/pipelines/{executionId}/stages/{stageId}", Json(new JsonObject { ["judgmentStatus"] = judgment }));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static bool IsFinal(string status) => status is "SUCCEEDED" or "TERMINAL" or "CANCELED" or "STOPPED" or "FAILED_CONTINUE";

    public static JsonObject Stage(JsonObject execution, string refId) =>
        Stages(execution).Single(s => s["refId"]!.GetValue<string>() == refId);

    public static IEnumerable<JsonObject> Stages(JsonObject execution) => execution["stages"]!.AsArray().Select(s => s!.AsObject());

    public static string Status(JsonObject node) => node["status"]!.GetValue<string>();

    public static long? Time(JsonObject node, string field) => node[field]?.GetValue<long>();

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
