using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Delivery.Deploy.Tests.Compose;

/// <summary>
/// docker-compose.yml run for real (docker/ images, the host-network override): every service healthy; through
/// gate, the UI, an application, a red/black deploy of samples/hello on the local cloud, a manual judgment approved
/// through the API, an orchestrator killed while the pipeline runs, and <c>docker-compose down</c> leaving nothing.
/// </summary>
public sealed class ComposeEndToEndTests(ITestOutputHelper output)
{
    private const string App = "hello";

    [Fact]
    public async Task Whole_stack_deploys_red_black_through_gate_survives_an_orchestrator_kill_and_goes_down_clean()
    {
        await using var engine = await DockerEngine.StartAsync();
        await using var stack = await ComposeStack.UpAsync(engine);
        try
        {
            using var gate = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = stack.Gate, Timeout = TimeSpan.FromSeconds(30) };

            // The web UI is gate's own page.
            using (var page = new HttpRequestMessage(HttpMethod.Get, "/"))
            {
                page.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
                using var ui = await gate.SendAsync(page);
                Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
                Assert.Contains("<div id=\"root\">", await ui.Content.ReadAsStringAsync());
            }

            await OkAsync(gate, HttpMethod.Post, "/applications", new JsonObject { ["name"] = App, ["email"] = "team@example.com" });
            Assert.Equal(App, JsonNode.Parse(await gate.GetStringAsync($"/applications/{App}"))!["name"]!.GetValue<string>());

            // The local cloud's server groups and balancers are processes of the clouddriver that created them, and
            // its inventory lives in that process: a second replica would take half of the operations and know
            // nothing of the other's groups. So the local cloud runs on clouddriver-1 alone.
            await stack.ComposeAsync(TimeSpan.FromMinutes(1), "stop", "clouddriver-2");

            // v1 behind a balancer; a judgment; then v2 red/black while an orchestrator dies.
            await OkAsync(gate, HttpMethod.Post, "/pipelines", new JsonObject
            {
                ["application"] = App,
                ["name"] = "deliver",
                ["stages"] = new JsonArray(
                    new JsonObject { ["refId"] = "1", ["type"] = "upsertLoadBalancer", ["name"] = "balancer", ["loadBalancerName"] = "hello-web", ["credentials"] = "local" },
                    Deploy("2", "v1", "1"),
                    new JsonObject { ["refId"] = "3", ["type"] = "manualJudgment", ["name"] = "promote?", ["requisiteStageRefIds"] = new JsonArray("2") },
                    new JsonObject { ["refId"] = "4", ["type"] = "wait", ["name"] = "soak", ["waitTime"] = 8, ["requisiteStageRefIds"] = new JsonArray("3") },
                    Deploy("5", "v2", "4")),
            });
            var triggered = await OkAsync(gate, HttpMethod.Post, $"/pipelines/{App}/deliver", new JsonObject());
            var id = triggered["ref"]!.GetValue<string>().Split('/')[^1];

            var judgment = await WaitForAsync(gate, id, e => Stage(e, "manualJudgment")?["status"]?.GetValue<string>() == "RUNNING", TimeSpan.FromMinutes(3));
            var balancer = JsonNode.Parse(await gate.GetStringAsync($"/applications/{App}/loadBalancers"))!.AsArray().Single()!;
            var url = balancer["url"]!.GetValue<string>();
            Assert.Equal("v1", await VersionAsync(url));

            await OkAsync(gate, HttpMethod.Patch, $"/pipelines/{id}/stages/{Stage(judgment, "manualJudgment")!["id"]}", new JsonObject { ["judgmentStatus"] = "continue" });
            await WaitForAsync(gate, id, e => Stage(e, "wait")?["status"]?.GetValue<string>() == "RUNNING", TimeSpan.FromMinutes(1));
            await stack.KillAsync("orchestrator-1");
            output.WriteLine("killed orchestrator-1 during the wait stage");

            var done = await WaitForAsync(gate, id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL" or "CANCELED" or "STOPPED", TimeSpan.FromMinutes(4));
            Assert.True(done["status"]!.GetValue<string>() == "SUCCEEDED", $"The pipeline ended {done["status"]}: {done.ToJsonString()}");
            Assert.Equal("v2", await VersionAsync(url));
            var groups = JsonNode.Parse(await gate.GetStringAsync($"/applications/{App}/serverGroups"))!.AsArray();
            Assert.Equal(
                new Dictionary<string, bool> { ["hello-web-v000"] = true, ["hello-web-v001"] = false },
                groups.ToDictionary(g => g!["name"]!.GetValue<string>(), g => g!["disabled"]!.GetValue<bool>()));
        }
        catch
        {
            output.WriteLine(await stack.LogsAsync());
            throw;
        }
        finally
        {
            await stack.DownAsync();
            foreach (var (step, seconds) in stack.Timings)
            {
                output.WriteLine($"{step}: {seconds:0.0} s");
            }
        }
        Assert.Equal((string.Empty, string.Empty), await stack.LeftoversAsync());
    }

    private static JsonObject Deploy(string refId, string version, string requisite) => new()
    {
        ["refId"] = refId,
        ["type"] = "deploy",
        ["name"] = $"deploy {version}",
        ["requisiteStageRefIds"] = new JsonArray(requisite),
        ["clusters"] = new JsonArray(new JsonObject
        {
            ["cloudProvider"] = "local",
            ["account"] = "local",
            ["application"] = App,
            ["stack"] = "web",
            ["capacity"] = new JsonObject { ["min"] = 2, ["max"] = 2, ["desired"] = 2 },
            ["strategy"] = "redblack",
            ["loadBalancers"] = new JsonArray("hello-web"),
            // The sample is in the image; its instances are processes of the clouddriver container that runs the operation.
            ["artifact"] = new JsonObject { ["command"] = "dotnet", ["args"] = new JsonArray("/app/hello/hello.dll") },
            ["env"] = new JsonObject { ["VERSION"] = version },
            ["healthCheckPath"] = "/health",
        }),
    };

    private static JsonObject? Stage(JsonObject execution, string type) =>
        execution["stages"]!.AsArray().Select(s => s!.AsObject()).FirstOrDefault(s => s["type"]!.GetValue<string>() == type);

    private static async Task<string> VersionAsync(string balancer)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        return JsonNode.Parse(await http.GetStringAsync(balancer))!["version"]!.GetValue<string>();
    }

    private static async Task<JsonObject> OkAsync(HttpClient gate, HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await gate.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonObject> WaitForAsync(HttpClient gate, string id, Func<JsonObject, bool> done, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        JsonObject? last = null;
        while (watch.Elapsed < timeout)
        {
            try
            {
                last = JsonNode.Parse(await gate.GetStringAsync($"/pipelines/{id}"))!.AsObject();
                if (done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // A replica behind gate restarting; ask again.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Execution {id} did not get there in {timeout.TotalSeconds} s; last: {last?.ToJsonString()}");
    }
}
