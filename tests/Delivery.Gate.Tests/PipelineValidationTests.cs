using System.Net;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;
using static Delivery.Gate.Tests.TestHost.TestPipelines;

namespace Delivery.Gate.Tests;

/// <summary>
/// Pipeline configs gate refuses when they are saved (names, stages, graph, parameters, stage fields), with a 400
/// naming the problem, and what happens to a config that was refused: it is never saved or started.
/// </summary>
public sealed class PipelineValidationTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private readonly GateClient _client = factory.CreateGateClient();

    private readonly string _app = GateClient.Unique("invalid");

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
        await _client.AssertNeverSavedOrStartedAsync(_app, "unknown-type");
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
        await _client.AssertNeverSavedOrStartedAsync(_app, "cycle");
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
        await _client.AssertNeverSavedOrStartedAsync(_app, "missing");
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
        await _client.AssertNeverSavedOrStartedAsync(_app, "duplicate");
    }

    [Theory]
    [InlineData("{\"refId\":\"1\"}")]
    [InlineData("\"wait\"")]
    [InlineData("7")]
    public async Task Pipeline_WithStagesThatAreNotAnArray_Returns400NamingTheField(string stages)
    {
        var response = await _client.SavePipelineRawAsync($"{{\"application\":\"{_app}\",\"name\":\"not-array\",\"stages\":{stages}}}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'stages'", "array");
    }

    [Fact]
    public async Task Pipeline_WithAStageThatIsNotAnObject_Returns400NamingItsIndex()
    {
        var response = await _client.SavePipelineRawAsync($"{{\"application\":\"{_app}\",\"name\":\"p\",\"stages\":[{{\"refId\":\"1\",\"type\":\"wait\"}},\"wait\"]}}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "stages[1]", "object");
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("{\"refId\":\"1\"}")]
    public async Task Pipeline_WithRequisitesOfTheWrongShape_Returns400NamingTheStage(string requisites)
    {
        var response = await _client.SavePipelineRawAsync(
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

        var response = await _client.SavePipelineRawAsync(
            $"{{\"application\":\"{_app}\",\"name\":\"{name}\",\"parameterConfig\":{parameterConfig},\"stages\":[{{\"refId\":\"1\",\"type\":\"wait\"}}]}}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "parameterConfig");
        await _client.AssertNeverSavedOrStartedAsync(_app, name);
    }

    [Fact]
    public async Task Pipeline_WithPlainStringOptions_ChecksTriggerValuesAgainstThem()
    {
        var name = GateClient.Unique("options");
        await GateClient.OkJsonAsync(await _client.SavePipelineRawAsync(
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
    public async Task Problems_NameEachFieldByItsJsonPath_BesideTheDetail()
    {
        var wait = Stage("1");
        wait["waitTime"] = "soon";
        var judgment = Stage("2", "manualJudgment", "1");
        judgment["judgmentInputs"] = new JsonArray("ship", new JsonArray());
        var pipeline = Pipeline(_app, "paths", wait, judgment, Stage("3", "teleport", "2"));
        pipeline["parameterConfig"] = new JsonArray(new JsonObject { ["label"] = "no name" });

        var response = await _client.PostAsync("/pipelines", pipeline);

        var detail = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "stages[0] (refId '1', name 'stage 1'): 'waitTime'", "'teleport'");
        var errors = await Problems.ErrorsAsync(response);
        Assert.Equal(["parameterConfig[0].name", "stages[0].waitTime", "stages[1].judgmentInputs[1]", "stages[2].type"], errors.Keys.Order());
        // Each message is the detail's sentence without the stage's label: the path already says where.
        var waitTime = Assert.Single(errors["stages[0].waitTime"]);
        Assert.StartsWith("'waitTime' must be a number", waitTime);
        Assert.Contains(waitTime, detail);
        Assert.Contains("'teleport'", Assert.Single(errors["stages[2].type"]));
    }

    [Theory]
    [InlineData("wait", "waitTime", "1e300")]
    [InlineData("wait", "waitTime", "9223372036854775807")]
    [InlineData("wait", "stageTimeoutMs", "\"soon\"")]
    [InlineData("manualJudgment", "stageTimeoutMs", "-5")]
    [InlineData("webhook", "url", "\"file:///etc/passwd\"")]
    [InlineData("webhook", "url", "\"not a url\"")]
    public async Task Fields_ThatCouldOnlyFailAtRunTime_AreRefusedWhenSaved(string type, string field, string value)
    {
        var response = await _client.PostAsync("/pipelines", Pipeline(_app, GateClient.Unique("run-time-only"), StageWith(type, field, value)));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, $"'{field}' must be");
        Assert.Equal([$"stages[0].{field}"], (await Problems.ErrorsAsync(response)).Keys);
    }

    [Theory]
    [InlineData("wait", "waitTime", "31536000")]
    [InlineData("wait", "waitTime", "\"${trigger.parameters.w}\"")]
    [InlineData("wait", "stageTimeoutMs", "60000")]
    [InlineData("webhook", "url", "\"${trigger.parameters.url}\"")]
    public async Task Fields_WithinRangeOrHoldingExpressions_AreSaved(string type, string field, string value) =>
        await _client.SavePipelineAsync(Pipeline(_app, GateClient.Unique("in-range"), StageWith(type, field, value)));

    /// <summary>A valid stage of the type (a webhook gets a url) with <paramref name="field"/> set to the JSON <paramref name="value"/>.</summary>
    private static JsonObject StageWith(string type, string field, string value)
    {
        var stage = Stage("1", type);
        if (type == "webhook")
        {
            stage["url"] = "https://example.com/hook";
        }
        stage[field] = JsonNode.Parse(value);
        return stage;
    }

    [Fact]
    public async Task A_body_that_is_not_valid_UTF8_is_refused_not_saved_with_replacement_characters()
    {
        var name = GateClient.Unique("utf8");
        var prefix = System.Text.Encoding.UTF8.GetBytes($"{{\"application\":\"{_app}\",\"name\":\"{name}");
        var suffix = System.Text.Encoding.UTF8.GetBytes("\",\"stages\":[]}");
        using var content = new ByteArrayContent([.. prefix, 0xFF, 0xFE, .. suffix]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await _client.Http.PostAsync("/pipelines", content);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "not valid UTF-8");
        await _client.AssertNeverSavedOrStartedAsync(_app, name + "\uFFFD\uFFFD");
    }

    [Fact]
    public async Task Problems_OfACycle_AreUnderTheRequisitesOfEveryStageInIt()
    {
        var response = await _client.PostAsync("/pipelines", Pipeline(_app, "cycle-paths", Stage("start"), Stage("a", "wait", "start", "b"), Stage("b", "wait", "a")));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "cycle");
        var errors = await Problems.ErrorsAsync(response);
        Assert.Equal(["stages[1].requisiteStageRefIds", "stages[2].requisiteStageRefIds"], errors.Keys.Order());
    }

    [Fact]
    public async Task Problems_ThatNameNoField_HaveNoErrors()
    {
        var response = await _client.SavePipelineRawAsync("{\"application\":");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Empty(await Problems.ErrorsAsync(response));
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
    [InlineData(@"with\u0000nul", "control character U+0000")]
    [InlineData("a/b", "'/'")]
    [InlineData("what?", "'?'")]
    [InlineData("tag#1", "'#'")]
    [InlineData(@"back\\slash", @"'\'")]
    [InlineData(@"\ud800lonely", "")] // the JSON reader already refuses text that is not valid Unicode
    public async Task PipelineName_ThatATriggerUrlCannotCarry_IsRefused(string jsonName, string expected)
    {
        var body = $$"""{"application":"{{_app}}","name":"{{jsonName}}","stages":[]}""";

        await Problems.AssertProblemAsync(await _client.SavePipelineRawAsync(body), HttpStatusCode.BadRequest, expected);
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

        await Problems.AssertProblemAsync(await _client.SavePipelineRawAsync(body), HttpStatusCode.BadRequest, "waitTime");
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
}
