using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;

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

    private static JsonObject Pipeline(string app, string name, params JsonObject[] stages) =>
        new() { ["application"] = app, ["name"] = name, ["stages"] = new JsonArray(stages) };

    private static JsonObject Stage(string refId, string type = "wait", params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["type"] = type,
        ["name"] = $"stage {refId}",
        ["waitTime"] = 0,
        ["requisiteStageRefIds"] = new JsonArray([.. requisites.Select(r => (JsonNode)r)]),
    };

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

    private Task<HttpResponseMessage> SavePipelineRawAsync(string json) => _client.SendAsync(HttpMethod.Post, "/pipelines", json);

    private async Task<(string Id, string StageId)> RunningJudgmentAsync()
    {
        var id = await _client.RunAsync(_app, GateClient.Judgment("1", "ship"));
        var execution = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        return (id, GateClient.StageId(execution, "1"));
    }

    /// <summary>Asserts that no config of that name exists and nothing ran for the application.</summary>
    private async Task AssertNeverSavedOrStartedAsync(string app, string name)
    {
        await Problems.AssertProblemAsync(await _client.Http.GetAsync($"/applications/{app}/pipelineConfigs/{name}"), HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(await _client.TriggerRawAsync(app, name), HttpStatusCode.NotFound, name);
        Assert.Empty((await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelines"))).AsArray());
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
    [InlineData("application")]
    [InlineData("name")]
    public async Task Pipeline_WithoutApplicationOrName_Returns400ProblemNamingTheField(string field)
    {
        var pipeline = Pipeline(_app, "p", Stage("1"));
        pipeline.Remove(field);

        var response = await _client.PostAsync("/pipelines", pipeline);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, $"'{field}'");
    }

    [Theory]
    [InlineData("application", "42")]
    [InlineData("name", "42")]
    [InlineData("application", "true")]
    [InlineData("name", "[\"x\"]")]
    [InlineData("application", "\"  \"")]
    public async Task Pipeline_WithApplicationOrNameThatIsNotAString_Returns400ProblemNamingTheField(string field, string value)
    {
        var pipeline = Pipeline(_app, "p", Stage("1"));
        pipeline[field] = JsonNode.Parse(value);

        var response = await _client.PostAsync("/pipelines", pipeline);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, $"'{field}'");
    }

    [Fact]
    public async Task Pipeline_ForAnApplicationWithAnInvalidName_Returns400ProblemNamingTheField()
    {
        var response = await _client.PostAsync("/pipelines", Pipeline("no spaces/allowed", "p", Stage("1")));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'application'", "no spaces/allowed");
        await Problems.AssertProblemAsync(await _client.Http.GetAsync("/applications/no%20spaces%2Fallowed"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pipeline_WithAnUnknownStageType_Returns400NamingTheStageAndTypeAndIsNeverSaved()
    {
        var response = await _client.PostAsync("/pipelines", Pipeline(_app, "unknown-type", Stage("1"), Stage("deployIt", "teleport", "1")));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'deployIt'", "stage deployIt", "'teleport'", "wait");
        await AssertNeverSavedOrStartedAsync(_app, "unknown-type");
    }

    [Fact]
    public async Task Pipeline_WithAStageWithoutAType_Returns400NamingTheStage()
    {
        var stage = Stage("x");
        stage.Remove("type");

        var response = await _client.PostAsync("/pipelines", Pipeline(_app, "no-type", stage));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'x'", "'type'");
    }

    [Fact]
    public async Task Pipeline_WithACycle_Returns400NamingEveryStageOfTheCycleAndIsNeverSaved()
    {
        var response = await _client.PostAsync("/pipelines", Pipeline(_app, "cycle",
            Stage("start"), Stage("a", "wait", "start", "c"), Stage("b", "wait", "a"), Stage("c", "wait", "b")));

        var detail = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "cycle", "'a'", "'b'", "'c'");
        Assert.DoesNotContain("'start'", detail);
        await AssertNeverSavedOrStartedAsync(_app, "cycle");
    }

    [Fact]
    public async Task Pipeline_WithAStageThatRequiresItself_Returns400NamingIt()
    {
        var response = await _client.PostAsync("/pipelines", Pipeline(_app, "self", Stage("loop", "wait", "loop")));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "cycle", "'loop'");
    }

    [Fact]
    public async Task Pipeline_WithAMissingRequisite_Returns400NamingTheStageAndTheMissingRefIdAndIsNeverSaved()
    {
        var response = await _client.PostAsync("/pipelines", Pipeline(_app, "missing", Stage("1"), Stage("2", "wait", "ghost")));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'2'", "'ghost'");
        await AssertNeverSavedOrStartedAsync(_app, "missing");
    }

    [Fact]
    public async Task Pipeline_WithADuplicateRefId_Returns400NamingBothStages()
    {
        var first = Stage("1");
        first["name"] = "build";
        var second = Stage("1");
        second["name"] = "test";

        var response = await _client.PostAsync("/pipelines", Pipeline(_app, "duplicate", first, second));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "duplicate refId '1'", "'build'", "'test'");
        await AssertNeverSavedOrStartedAsync(_app, "duplicate");
    }

    [Theory]
    [InlineData("{\"refId\":\"1\"}")]
    [InlineData("\"wait\"")]
    [InlineData("7")]
    public async Task Pipeline_WithStagesThatAreNotAnArray_Returns400NamingTheField(string stages)
    {
        var response = await SavePipelineRawAsync($"{{\"application\":\"{_app}\",\"name\":\"not-array\",\"stages\":{stages}}}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'stages'", "array");
    }

    [Fact]
    public async Task Pipeline_WithAStageThatIsNotAnObject_Returns400NamingItsIndex()
    {
        var response = await SavePipelineRawAsync($"{{\"application\":\"{_app}\",\"name\":\"p\",\"stages\":[{{\"refId\":\"1\",\"type\":\"wait\"}},\"wait\"]}}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "stages[1]", "object");
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("{\"refId\":\"1\"}")]
    public async Task Pipeline_WithRequisitesOfTheWrongShape_Returns400NamingTheStage(string requisites)
    {
        var response = await SavePipelineRawAsync(
            $"{{\"application\":\"{_app}\",\"name\":\"p\",\"stages\":[{{\"refId\":\"1\",\"type\":\"wait\"}},{{\"refId\":\"2\",\"type\":\"wait\",\"requisiteStageRefIds\":{requisites}}}]}}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'2'", "requisiteStageRefIds");
    }

    [Theory]
    [InlineData("[\"env\"]")]
    [InlineData("[{\"default\":\"x\"}]")]
    [InlineData("[{\"name\":\"region\",\"hasOptions\":true,\"options\":[\"eu\",\"us\"]},7]")]
    [InlineData("{\"name\":\"env\"}")]
    public async Task Pipeline_WithMalformedParameterConfig_Returns400NamingTheField(string parameterConfig)
    {
        var name = GateClient.Unique("params");

        var response = await SavePipelineRawAsync(
            $"{{\"application\":\"{_app}\",\"name\":\"{name}\",\"parameterConfig\":{parameterConfig},\"stages\":[{{\"refId\":\"1\",\"type\":\"wait\"}}]}}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "parameterConfig");
        await AssertNeverSavedOrStartedAsync(_app, name);
    }

    [Fact]
    public async Task Pipeline_WithPlainStringOptions_ChecksTriggerValuesAgainstThem()
    {
        var name = GateClient.Unique("options");
        await GateClient.OkJsonAsync(await SavePipelineRawAsync(
            $"{{\"application\":\"{_app}\",\"name\":\"{name}\",\"parameterConfig\":[{{\"name\":\"region\",\"hasOptions\":true,\"options\":[\"eu\",\"us\"]}}],\"stages\":[{{\"refId\":\"1\",\"type\":\"wait\"}}]}}"));

        var bad = await _client.TriggerRawAsync(_app, name, new JsonObject { ["parameters"] = new JsonObject { ["region"] = "mars" } });
        var good = await _client.TriggerRawAsync(_app, name, new JsonObject { ["parameters"] = new JsonObject { ["region"] = "us" } });

        await Problems.AssertProblemAsync(bad, HttpStatusCode.BadRequest, "'region'", "mars", "eu, us");
        await GateClient.OkJsonAsync(good, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Judgment_WithPlainStringJudgmentInputs_ChecksTheInputAgainstThem()
    {
        var judgment = GateClient.Judgment("1");
        judgment["judgmentInputs"] = new JsonArray("ship", "hold");
        var id = await _client.RunAsync(_app, judgment);
        var stageId = GateClient.StageId(await _client.WaitForStageStatusAsync(id, "1", "RUNNING"), "1");

        var bad = await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "yolo" });
        var good = await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "ship" });

        await Problems.AssertProblemAsync(bad, HttpStatusCode.BadRequest, "yolo", "ship", "hold");
        await GateClient.OkJsonAsync(good);
        await _client.WaitForStatusAsync(id, "SUCCEEDED");
    }

    [Fact]
    public async Task Resave_WithProblems_KeepsThePreviousGoodConfig()
    {
        var name = GateClient.Unique("keep");
        var good = await _client.SavePipelineAsync(Pipeline(_app, name, Stage("1")));

        var response = await _client.PostAsync("/pipelines", Pipeline(_app, name, Stage("1", "wait", "1")));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "cycle");
        var stored = await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{_app}/pipelineConfigs/{name}"));
        Assert.Equal(good["id"]!.GetValue<string>(), stored["id"]!.GetValue<string>());
        Assert.Empty(stored["stages"]![0]!["requisiteStageRefIds"]!.AsArray());
        var id = await _client.TriggerAsync(_app, name);
        await _client.WaitForStatusAsync(id, "SUCCEEDED");
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
            () => SavePipelineRawAsync("{"),
            () => SavePipelineRawAsync("[]"),
            () => SavePipelineRawAsync(Nested(10_000)),
            () => SavePipelineRawAsync("{\"application\":5,\"name\":5,\"stages\":[]}"),
            () => SavePipelineRawAsync($"{{\"application\":\"{_app}\",\"name\":\"x\",\"parameterConfig\":[\"p\"]}}"),
            () => SavePipelineRawAsync("{\"application\":\"a\",\"application\":\"b\"}"),
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

    [Theory]
    [InlineData(@"with\u0000nul", "control character U+0000")]
    [InlineData("a/b", "'/'")]
    [InlineData("what?", "'?'")]
    [InlineData("tag#1", "'#'")]
    [InlineData(@"back\\slash", @"'\'")]
    [InlineData(@"\ud800lonely", "")] // the JSON reader already refuses text that is not valid Unicode
    public async Task PipelineName_ThatATriggerUrlCannotCarry_IsRefused(string jsonName, string expected)
    {
        var body = $$"""{"application":"{{_app}}","name":"{{jsonName}}","stages":[]}""";

        await Problems.AssertProblemAsync(await SavePipelineRawAsync(body), HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task PipelineName_LongerThanTheRule_IsRefused()
    {
        await Problems.AssertProblemAsync(
            await _client.Http.PostAsync("/pipelines", Json(Pipeline(_app, new string('n', 300)))), HttpStatusCode.BadRequest, "300 characters");
    }

    [Fact]
    public async Task PipelineName_WithSpacesAndPunctuation_IsSavedAndCanBeTriggered()
    {
        var name = "Deploy to prod (canary) & verify: v2";
        await _client.SavePipelineAsync(Pipeline(_app, name, Stage("1")));

        var id = await _client.TriggerAsync(_app, name);

        Assert.Equal("SUCCEEDED", GateClient.Status(await _client.WaitForStatusAsync(id, "SUCCEEDED")));
    }

    [Fact]
    public async Task Stage_WithTenThousandRequisites_IsRefused()
    {
        var stage = Stage("2");
        stage["requisiteStageRefIds"] = new JsonArray([.. Enumerable.Range(0, 10_000).Select(i => (JsonNode)$"r{i}")]);

        await Problems.AssertProblemAsync(
            await _client.Http.PostAsync("/pipelines", Json(Pipeline(_app, "many-requisites", Stage("1"), stage))), HttpStatusCode.BadRequest, "requisiteStageRefIds");
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("-5")]
    [InlineData("true")]
    [InlineData("{}")]
    public async Task WaitTime_ThatIsNotANumberOfSeconds_IsRefusedAtSave(string waitTime)
    {
        var body = $$"""{"application":"{{_app}}","name":"bad-wait","stages":[{"refId":"1","type":"wait","waitTime":{{waitTime}}}]}""";

        await Problems.AssertProblemAsync(await SavePipelineRawAsync(body), HttpStatusCode.BadRequest, "waitTime");
    }

    [Fact]
    public async Task WaitTime_ThatAnExpressionTurnsIntoText_FailsTheStageInsteadOfWaitingZero()
    {
        var stage = Stage("1");
        stage["waitTime"] = "${'abc'}";
        await _client.SavePipelineAsync(Pipeline(_app, "wait-expression-text", stage));

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync(_app, "wait-expression-text"), "TERMINAL");

        Assert.Contains("waitTime must be a number", GateClient.Stage(execution, "1")["context"]!["exception"]!.ToJsonString());
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
