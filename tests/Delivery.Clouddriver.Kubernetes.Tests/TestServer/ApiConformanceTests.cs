using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer;

namespace Delivery.Clouddriver.Kubernetes.Tests.TestServer;

/// <summary>The test API server's answers that kubectl does not exercise: selectors, patches, watch, propagation.</summary>
public sealed class ApiConformanceTests : IAsyncLifetime
{
    private KubernetesTestServer.KubernetesTestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesTestServer.KubernetesTestServer.StartAsync(new KubernetesTestServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        _http = new HttpClient { BaseAddress = _server.Url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Label_selectors_patches_and_conflicting_updates()
    {
        await CreateAsync("a", "tier=web,env=prod");
        await CreateAsync("b", "tier=db,env=prod");
        await CreateAsync("c", "tier=web,env=test");
        Assert.Equal(["a"], await NamesAsync("tier=web,env!=test"));
        Assert.Equal(["a", "b"], await NamesAsync("env in (prod),tier"));
        Assert.Equal(["c"], await NamesAsync("tier notin (db),env=test"));

        var patched = await PatchAsync("a", "application/json-patch+json", """[{"op":"add","path":"/data/k","value":"v"},{"op":"test","path":"/metadata/name","value":"a"}]""");
        Assert.Equal("v", patched["data"]!["k"]!.GetValue<string>());
        patched = await PatchAsync("a", "application/merge-patch+json", """{"data":{"k":null,"m":"n"}}""");
        Assert.Null(patched["data"]!["k"]);
        Assert.Equal("n", patched["data"]!["m"]!.GetValue<string>());

        var stale = (JsonObject)patched.DeepClone();
        stale["metadata"]!["resourceVersion"] = "1";
        using var conflict = await _http.PutAsync("/api/v1/namespaces/default/configmaps/a", new StringContent(stale.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("the object has been modified", await conflict.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Watch_resumes_from_a_version_sends_bookmarks_and_answers_410_for_an_expired_one()
    {
        await CreateAsync("w1", "app=w");
        var version = JsonNode.Parse(await _http.GetStringAsync("/api/v1/namespaces/default/configmaps"))!["metadata"]!["resourceVersion"]!.GetValue<string>();
        await CreateAsync("w2", "app=w");
        var lines = await WatchAsync($"resourceVersion={version}&allowWatchBookmarks=true&timeoutSeconds=1");
        Assert.Contains(lines, l => l["type"]!.GetValue<string>() == "ADDED" && l["object"]!["metadata"]!["name"]!.GetValue<string>() == "w2");
        Assert.DoesNotContain(lines, l => l["object"]!["metadata"]!["name"]?.GetValue<string>() == "w1");
        Assert.Contains(lines, l => l["type"]!.GetValue<string>() == "BOOKMARK");

        _server.ExpireWatches();
        var expired = await WatchAsync($"resourceVersion={version}&timeoutSeconds=1");
        Assert.Equal("ERROR", expired.Single()["type"]!.GetValue<string>());
        Assert.Equal(410, expired.Single()["object"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delete_propagation_background_removes_dependents_and_orphan_keeps_them()
    {
        foreach (var (name, policy) in new[] { ("bg", "Background"), ("orphan", "Orphan") })
        {
            var deployment = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"NAME"}},"template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""".Replace("NAME", name);
            using (var created = await _http.PostAsync("/apis/apps/v1/namespaces/default/deployments", new StringContent(deployment, Encoding.UTF8, "application/json")))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            await EventuallyAsync(async () => (await ListAsync("/api/v1/namespaces/default/pods", $"app={name}")).Count == 1);
            using var deleted = await _http.DeleteAsync($"/apis/apps/v1/namespaces/default/deployments/{name}?propagationPolicy={policy}");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            var replicaSets = await ListAsync("/apis/apps/v1/namespaces/default/replicasets", $"app={name}");
            Assert.Equal(policy == "Orphan" ? 1 : 0, replicaSets.Count);
            Assert.Equal(policy == "Orphan" ? 1 : 0, (await ListAsync("/api/v1/namespaces/default/pods", $"app={name}")).Count);
        }
    }

    private async Task CreateAsync(string name, string labels)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject([.. labels.Split(',').Select(l => KeyValuePair.Create(l.Split('=')[0], (JsonNode?)l.Split('=')[1]))]) },
            ["data"] = new JsonObject(),
        };
        using var response = await _http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<List<string>> NamesAsync(string selector) =>
        [.. (await ListAsync("/api/v1/namespaces/default/configmaps", selector)).Select(i => i!["metadata"]!["name"]!.GetValue<string>())];

    private async Task<JsonArray> ListAsync(string path, string selector) =>
        JsonNode.Parse(await _http.GetStringAsync($"{path}?labelSelector={Uri.EscapeDataString(selector)}"))!["items"]!.AsArray();

    private async Task<JsonObject> PatchAsync(string name, string contentType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/namespaces/default/configmaps/{name}") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private async Task<List<JsonNode>> WatchAsync(string query)
    {
        var text = await _http.GetStringAsync($"/api/v1/namespaces/default/configmaps?watch=true&{query}");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met within 5 s");
            await Task.Delay(20);
        }
    }
}
