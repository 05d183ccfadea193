using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Delivery.CanaryJudge.Stages.Tests.TestHost;

/// <summary>Runs pipelines and reads the inventory through one standalone host's gate API, as a user would.</summary>
/// <param name="http">A client of the host.</param>
/// <param name="prometheus">The Prometheus that scrapes the balancers this client creates, if any.</param>
public sealed class DeliveryClient(HttpClient http, PrometheusServer? prometheus)
{
    public HttpClient Http => http;

    /// <summary>Saves and runs a pipeline of <paramref name="application"/>, and waits until the execution ends.</summary>
    public async Task<JsonObject> RunPipelineAsync(string application, JsonArray stages, TimeSpan timeout) =>
        await WaitAsync(await StartPipelineAsync(application, stages), e => IsEnded(e), timeout);

    /// <summary>Saves and triggers a pipeline of <paramref name="application"/>; returns the execution id.</summary>
    public async Task<string> StartPipelineAsync(string application, JsonArray stages)
    {
        var name = $"pipeline-{Guid.NewGuid():N}";
        var pipeline = new JsonObject { ["application"] = application, ["name"] = name, ["stages"] = stages };
        using (var saved = await http.PostAsync("/pipelines", CanaryHost.Json(pipeline)))
        {
            Assert.True(saved.IsSuccessStatusCode, $"Saving the pipeline failed with {(int)saved.StatusCode}: {await saved.Content.ReadAsStringAsync()}");
        }
        using var triggered = await http.PostAsync($"/pipelines/{application}/{name}", CanaryHost.Json(new JsonObject()));
        return JsonNode.Parse(await triggered.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>().Split('/')[^1];
    }

    /// <summary>Reads the execution until <paramref name="until"/> holds (or it ended, when that is not what is awaited).</summary>
    public async Task<JsonObject> WaitAsync(string id, Func<JsonObject, bool> until, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var execution = JsonNode.Parse(await http.GetStringAsync($"/pipelines/{id}"))!.AsObject();
            if (until(execution) || IsEnded(execution))
            {
                return execution;
            }
            Assert.True(watch.Elapsed < timeout, $"Execution {id} did not get there; last state: {execution.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    private static bool IsEnded(JsonObject execution) => execution["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL" or "CANCELED" or "STOPPED";

    /// <summary>Runs a one-stage pipeline that must succeed.</summary>
    public async Task<JsonObject> SucceedAsync(string application, JsonObject stage)
    {
        stage["refId"] = "1";
        stage["name"] ??= stage["type"]!.GetValue<string>();
        var execution = await RunPipelineAsync(application, [stage], TimeSpan.FromSeconds(60));
        Assert.True(execution["status"]!.GetValue<string>() == "SUCCEEDED", $"{stage["type"]} did not succeed: {execution.ToJsonString()}");
        return execution;
    }

    /// <summary>Creates a load balancer through a pipeline and has Prometheus scrape it; returns its URL.</summary>
    public async Task<Uri> BalancerAsync(string application, string name)
    {
        var execution = await SucceedAsync(application, new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = name, ["credentials"] = "local" });
        var url = new Uri(CanaryHost.Stage(execution, "upsertLoadBalancer")["outputs"]!["url"]!.GetValue<string>());
        if (prometheus is not null)
        {
            // Labelled with its account, as the local source expects.
            await prometheus.ScrapeAsync(name, url.Authority, new Dictionary<string, string> { ["account"] = "local" });
            await prometheus.WaitForTargetAsync(url.Authority);
        }
        return url;
    }

    public async Task<JsonArray> ServerGroupsAsync(string application) =>
        JsonNode.Parse(await http.GetStringAsync($"/applications/{application}/serverGroups"))!.AsArray();

}
