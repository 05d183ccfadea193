using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;
using static Delivery.Gate.Tests.TestHost.TestPipelines;

namespace Delivery.Gate.Tests;

/// <summary>
/// Whatever a client sends, gate answers with a 4xx <c>application/problem+json</c> whose detail
/// says what is wrong, nothing bad is saved or started, and the engine keeps working.
/// </summary>
public sealed class BadInputTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private const int DefaultMaxBodyBytes = 1024 * 1024;

    private readonly GateClient _client = factory.CreateGateClient();

    private readonly string _app = GateClient.Unique("bad");

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string NestedObject(int depth)
    {
        var json = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            json.Append("{\"a\":");
        }
        json.Append('1');
        return json.Append('}', depth).ToString();
    }

    private async Task<(string Id, string StageId)> RunningJudgmentAsync()
    {
        var id = await _client.RunAsync(_app, GateClient.Judgment("1", "ship"));
        var execution = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        return (id, GateClient.StageId(execution, "1"));
    }

    [Theory]
    [InlineData("/applications")]
    [InlineData("/pipelines")]
    [InlineData("/pipelines/any/thing")]
    public async Task MalformedJson_Returns400ProblemSayingItIsNotJson(string path)
    {
        var response = await _client.SendAsync(HttpMethod.Post, path, "{\"name\": \"x\", ");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "JSON");
    }

    [Theory]
    [InlineData("/applications")]
    [InlineData("/pipelines")]
    [InlineData("/pipelines/any/thing")]
    public async Task ABodyThatIsAJsonArray_Returns400ProblemSayingAnObjectIsNeeded(string path)
    {
        var response = await _client.SendAsync(HttpMethod.Post, path, "[{\"name\":\"x\"}]");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "object");
    }

    [Theory]
    [InlineData("/applications")]
    [InlineData("/pipelines")]
    public async Task AnEmptyBody_Returns400Problem(string path)
    {
        var response = await _client.SendAsync(HttpMethod.Post, path, "");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "JSON");
    }

    [Theory]
    [InlineData("/applications")]
    [InlineData("/pipelines")]
    [InlineData("/pipelines/any/thing")]
    public async Task DuplicateProperties_Return400ProblemNamingTheProperty(string path)
    {
        var response = await _client.SendAsync(HttpMethod.Post, path, "{\"name\":\"a\",\"application\":\"b\",\"name\":\"c\",\"type\":\"manual\",\"type\":\"x\"}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "duplicate", "'name'");
    }

    [Theory]
    [InlineData("/applications")]
    [InlineData("/pipelines")]
    [InlineData("/pipelines/any/thing")]
    public async Task DeeplyNestedJson_Returns400ProblemSayingItIsTooDeep(string path)
    {
        var array = await _client.SendAsync(HttpMethod.Post, path, Nested(10_000));
        var obj = await _client.SendAsync(HttpMethod.Post, path, NestedObject(10_000));

        await Problems.AssertProblemAsync(array, HttpStatusCode.BadRequest, "depth");
        await Problems.AssertProblemAsync(obj, HttpStatusCode.BadRequest, "depth");
    }

    [Fact]
    public async Task Application_WithoutAName_Returns400ProblemNamingTheField()
    {
        var response = await _client.PostAsync("/applications", new JsonObject { ["email"] = "a@example.com" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'name'");
    }

    [Theory]
    [InlineData("\"bad name!\"")]
    [InlineData("\"\"")]
    [InlineData("42")]
    [InlineData("{\"x\":1}")]
    public async Task Application_WithAnInvalidName_Returns400ProblemNamingTheField(string name)
    {
        var response = await _client.SendAsync(HttpMethod.Post, "/applications", $"{{\"name\":{name}}}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'name'");
    }

    [Fact]
    public async Task Application_WithPermissionsThatAreNotAnObject_Returns400ProblemNamingTheField()
    {
        var app = GateClient.Unique("perm");

        var response = await _client.PostAsync("/applications", new JsonObject { ["name"] = app, ["permissions"] = new JsonArray("READ") });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'permissions'");
        await Problems.AssertProblemAsync(await _client.Http.GetAsync($"/applications/{app}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("\"manual\"")]
    [InlineData("null")]
    [InlineData("{\"parameters\":\"env=prod\"}")]
    public async Task Trigger_ThatIsNotAnObjectOrHasBadParameters_Returns400AndStartsNothing(string trigger)
    {
        var name = GateClient.Unique("trigger");
        var app = GateClient.Unique("trigger");
        await _client.SavePipelineAsync(Pipeline(app, name, Stage("1")));

        var response = await _client.SendAsync(HttpMethod.Post, $"/pipelines/{app}/{name}", trigger);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "object");
        Assert.Empty((await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelines"))).AsArray());
    }

    [Theory]
    [InlineData("{\"judgmentStatus\": ")]
    [InlineData("[\"continue\"]")]
    [InlineData("\"continue\"")]
    [InlineData("")]
    [InlineData("{\"judgmentStatus\":\"continue\",\"judgmentStatus\":\"stop\"}")]
    public async Task Patch_WithABodyThatIsNotAJsonObject_Returns400AndLeavesTheStageWaiting(string body)
    {
        var (id, stageId) = await RunningJudgmentAsync();

        var response = await _client.SendAsync(HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}", body);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "stage update");
        Assert.Equal("RUNNING", GateClient.Status(GateClient.Stage(await _client.GetExecutionAsync(id), "1")));
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Fact]
    public async Task Patch_WithDeeplyNestedJson_Returns400AndLeavesTheStageWaiting()
    {
        var (id, stageId) = await RunningJudgmentAsync();

        var response = await _client.SendAsync(HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}", NestedObject(10_000));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "depth");
        Assert.Equal("RUNNING", GateClient.Status(GateClient.Stage(await _client.GetExecutionAsync(id), "1")));
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Theory]
    [InlineData("/applications")]
    [InlineData("/pipelines")]
    [InlineData("/pipelines/any/thing")]
    public async Task ABodyOverTheLimit_Returns413ProblemNamingTheLimit(string path)
    {
        var body = "{\"description\":\"" + new string('x', DefaultMaxBodyBytes) + "\"}";

        var response = await _client.SendAsync(HttpMethod.Post, path, body);

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, DefaultMaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimit_Returns413()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"description\":\"" + new string('x', DefaultMaxBodyBytes) + "\"}");
        var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/pipelines") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.Http.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than");
    }

    [Fact]
    public async Task ABodyOverTheLimitInBytesButNotInCharacters_Returns413()
    {
        // 600,000 two-byte characters: 1.2 MB on the wire, though fewer characters than the limit.
        var bytes = Encoding.UTF8.GetBytes("{\"description\":\"" + new string('é', 600_000) + "\"}");
        var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/pipelines") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.Http.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than");
    }

    [Fact]
    public async Task ABodyJustUnderTheLimit_IsAccepted()
    {
        var pipeline = Pipeline(_app, GateClient.Unique("big"), Stage("1"));
        var overhead = Encoding.UTF8.GetByteCount(pipeline.ToJsonString()) + "\"description\":\"\",".Length;
        pipeline["description"] = new string('x', DefaultMaxBodyBytes - overhead);
        Assert.Equal(DefaultMaxBodyBytes, Encoding.UTF8.GetByteCount(pipeline.ToJsonString()));

        var saved = await _client.SavePipelineAsync(pipeline);

        Assert.Equal(pipeline["description"]!.GetValue<string>().Length, saved["description"]!.GetValue<string>().Length);
    }

    [Theory]
    [InlineData("GET", "/no-such-route")]
    [InlineData("GET", "/pipelines/a/b/c/d")]
    [InlineData("POST", "/applications/x/y/z")]
    public async Task AnUnknownRoute_Returns404ProblemNamingThePath(string method, string path)
    {
        var response = await _client.SendAsync(new HttpMethod(method), path);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, path);
    }

    [Theory]
    [InlineData("DELETE", "/applications")]
    [InlineData("PUT", "/pipelines")]
    [InlineData("GET", "/pipelines/x/stages/y/skip")]
    public async Task AMethodTheRouteDoesNotAllow_Returns405ProblemNamingTheMethod(string method, string path)
    {
        var response = await _client.SendAsync(new HttpMethod(method), path);

        await Problems.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, method);
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Fact]
    public async Task AnUnknownRoute_AskedForHtml_StillGetsProblemJson()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        request.Headers.Accept.ParseAdd("text/html");

        var response = await _client.Http.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "/no-such-page");
    }

    [Fact]
    public async Task ABurstOfBadRequests_LeavesTheEngineRunningOtherPipelines()
    {
        var before = await _client.RunAsync(_app, Stage("1"), GateClient.Wait("2", 0.2, "1"));
        var (judged, stageId) = await RunningJudgmentAsync();
        var bad = new List<Func<Task<HttpResponseMessage>>>
        {
            () => _client.SavePipelineRawAsync("{"),
            () => _client.SavePipelineRawAsync("[]"),
            () => _client.SavePipelineRawAsync(Nested(10_000)),
            () => _client.SavePipelineRawAsync("{\"application\":5,\"name\":5,\"stages\":[]}"),
            () => _client.SavePipelineRawAsync($"{{\"application\":\"{_app}\",\"name\":\"x\",\"parameterConfig\":[\"p\"]}}"),
            () => _client.SavePipelineRawAsync("{\"application\":\"a\",\"application\":\"b\"}"),
            () => _client.PostAsync("/pipelines", Pipeline(_app, "burst", Stage("1", "wait", "2"), Stage("2", "wait", "1"))),
            () => _client.PostAsync("/pipelines", Pipeline(_app, "burst", Stage("1", "nope"))),
            () => _client.SendAsync(HttpMethod.Post, $"/pipelines/{_app}/nothing", "{\"parameters\":[]}"),
            () => _client.SendAsync(HttpMethod.Post, "/applications", "{\"name\":\"a\",\"name\":\"b\"}"),
            () => _client.SendAsync(HttpMethod.Patch, $"/pipelines/{judged}/stages/{stageId}", "{\"judgmentStatus\":\"maybe\"}"),
            () => _client.SendAsync(HttpMethod.Patch, $"/pipelines/{judged}/stages/{stageId}", "{\"a\":1,\"a\":2}"),
            () => _client.SendAsync(HttpMethod.Patch, $"/pipelines/{judged}/stages/{stageId}", "{\"judgmentInput\":{\"x\":1}}"),
            () => _client.PutAsync($"/pipelines/{judged}/resume"),
            () => _client.Http.GetAsync($"/applications/{_app}/pipelines?statuses=NOPE"),
        };

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).SelectMany(_ => bad).Select(send => send()));

        Assert.All(responses, r => Assert.InRange((int)r.StatusCode, 400, 499));
        Assert.All(responses, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
        var after = await _client.RunAsync(_app, Stage("1"), GateClient.Wait("2", 0, "1"));
        await _client.WaitForStatusAsync(after, "SUCCEEDED");
        await _client.WaitForStatusAsync(before, "SUCCEEDED");
        Assert.Equal("RUNNING", GateClient.Status(GateClient.Stage(await _client.GetExecutionAsync(judged), "1")));
        await GateClient.OkJsonAsync(await _client.PatchAsync($"/pipelines/{judged}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "continue" }));
        await _client.WaitForStatusAsync(judged, "SUCCEEDED");
    }
}
