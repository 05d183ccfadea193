using System.Net;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;

namespace Delivery.Gate.Tests.Endpoints;

/// <summary>Pipeline configs, triggers and executions through <c>/pipelines</c>.</summary>
public sealed class PipelineEndpointsTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private readonly GateClient _client = factory.CreateGateClient();

    private static JsonObject Parameterized(string app, string name) => new()
    {
        ["application"] = app,
        ["name"] = name,
        ["parameterConfig"] = new JsonArray(
            new JsonObject { ["name"] = "env", ["default"] = "staging" },
            new JsonObject { ["name"] = "version", ["required"] = true },
            new JsonObject
            {
                ["name"] = "region",
                ["default"] = "eu",
                ["hasOptions"] = true,
                ["options"] = new JsonArray(new JsonObject { ["value"] = "eu" }, new JsonObject { ["value"] = "us" }),
            }),
        ["stages"] = new JsonArray(GateClient.Wait("1", 0)),
    };

    [Fact]
    public async Task Save_ReturnsTheConfigWithAnId()
    {
        var app = GateClient.Unique("save");

        var saved = await _client.SaveStagesAsync(app, "deploy", GateClient.Wait("1", 1), GateClient.Wait("2", 1, "1"));

        Assert.False(string.IsNullOrWhiteSpace(saved["id"]?.GetValue<string>()));
        Assert.Equal(app, saved["application"]!.GetValue<string>());
        Assert.Equal("deploy", saved["name"]!.GetValue<string>());
        Assert.Equal(["1", "2"], saved["stages"]!.AsArray().Select(s => s!["refId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Save_LowerCasesTheApplicationAndNormalizesStages()
    {
        var app = GateClient.Unique("Mixed");
        var stage = new JsonObject { ["refId"] = 1, ["type"] = "wait", ["waitTime"] = 0 };

        var saved = await _client.SavePipelineAsync(new JsonObject { ["application"] = app, ["name"] = "p", ["stages"] = new JsonArray(stage) });

        Assert.Equal(app.ToLowerInvariant(), saved["application"]!.GetValue<string>());
        var normalized = saved["stages"]![0]!;
        Assert.Equal("1", normalized["refId"]!.GetValue<string>());
        Assert.Equal("wait", normalized["name"]!.GetValue<string>());
        Assert.Empty(normalized["requisiteStageRefIds"]!.AsArray());
    }

    [Fact]
    public async Task Save_Again_KeepsTheIdAndReplacesTheStages()
    {
        var app = GateClient.Unique("resave");
        var first = await _client.SaveStagesAsync(app, "deploy", GateClient.Wait("1", 1));

        var second = await _client.SaveStagesAsync(app, "deploy", GateClient.Wait("1", 1), GateClient.Wait("2", 1, "1"));

        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        var stored = await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelineConfigs/deploy"));
        Assert.Equal(2, stored["stages"]!.AsArray().Count);
        var list = (await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelineConfigs"))).AsArray();
        Assert.Single(list);
    }

    [Fact]
    public async Task Save_WithAnIdOfItsOwn_KeepsThatId()
    {
        var app = GateClient.Unique("imported");

        var saved = await _client.SavePipelineAsync(new JsonObject
        {
            ["id"] = "7f1c2b9e-0000-4000-8000-000000000001",
            ["application"] = app,
            ["name"] = "exported from spinnaker",
            ["stages"] = new JsonArray(GateClient.Wait("1", 0)),
        });

        Assert.Equal("7f1c2b9e-0000-4000-8000-000000000001", saved["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_RemovesTheConfig_ThenGetAndTriggerAnswer404()
    {
        var app = GateClient.Unique("delete");
        await _client.SaveStagesAsync(app, "doomed", GateClient.Wait("1", 0));

        var deleted = await _client.SendAsync(HttpMethod.Delete, $"/pipelines/{app}/doomed");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Problems.AssertProblemAsync(await _client.Http.GetAsync($"/applications/{app}/pipelineConfigs/doomed"), HttpStatusCode.NotFound, "doomed");
        await Problems.AssertProblemAsync(await _client.TriggerRawAsync(app, "doomed"), HttpStatusCode.NotFound, "doomed");
        Assert.Empty((await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelineConfigs"))).AsArray());
    }

    [Fact]
    public async Task Delete_Missing_Returns404ProblemNamingIt()
    {
        var response = await _client.SendAsync(HttpMethod.Delete, "/pipelines/nobody/ghost");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "ghost", "nobody");
    }

    [Fact]
    public async Task Trigger_Returns202WithARefToTheNewExecution()
    {
        var app = GateClient.Unique("trigger");
        var config = await _client.SaveStagesAsync(app, "deploy", GateClient.Wait("1", 0));

        var response = await _client.TriggerRawAsync(app, "deploy", new JsonObject { ["type"] = "manual" });

        var answer = await GateClient.OkJsonAsync(response, HttpStatusCode.Accepted);
        var reference = answer["ref"]!.GetValue<string>();
        Assert.Matches("^/pipelines/[0-9A-Z]{26}$", reference);
        var execution = await _client.WaitForStatusAsync(reference.Split('/')[^1], "SUCCEEDED");
        Assert.Equal(app, execution["application"]!.GetValue<string>());
        Assert.Equal("deploy", execution["name"]!.GetValue<string>());
        Assert.Equal(config["id"]!.GetValue<string>(), execution["pipelineConfigId"]!.GetValue<string>());
        Assert.Equal("manual", execution["trigger"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Trigger_APipelineWhoseNameHasSpacesAndCapitals_FindsIt()
    {
        var app = GateClient.Unique("spaces");
        await _client.SaveStagesAsync(app, "Deploy To Prod", GateClient.Wait("1", 0));

        var id = await _client.TriggerAsync(app.ToUpperInvariant(), "Deploy To Prod");

        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("Deploy To Prod", execution["name"]!.GetValue<string>());
        await Problems.AssertProblemAsync(await _client.TriggerRawAsync(app, "deploy to prod"), HttpStatusCode.NotFound, "'deploy to prod'");
    }

    [Fact]
    public async Task Trigger_WithAnEmptyBody_StartsAManualExecution()
    {
        var app = GateClient.Unique("empty");
        await _client.SaveStagesAsync(app, "deploy", GateClient.Wait("1", 0));

        var response = await _client.SendAsync(HttpMethod.Post, $"/pipelines/{app}/deploy");

        var id = (await GateClient.OkJsonAsync(response, HttpStatusCode.Accepted))["ref"]!.GetValue<string>().Split('/')[^1];
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("manual", execution["trigger"]!["type"]!.GetValue<string>());
        Assert.Equal("anonymous", execution["trigger"]!["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Trigger_RecordsTheUserFromTheSpinnakerUserHeader()
    {
        var app = GateClient.Unique("user");
        await _client.SaveStagesAsync(app, "deploy", GateClient.Wait("1", 0));

        var id = await _client.TriggerAsync(app, "deploy", user: "alice@example.com");

        var execution = await _client.GetExecutionAsync(id);
        Assert.Equal("alice@example.com", execution["trigger"]!["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Trigger_WithAUserInTheBody_KeepsIt()
    {
        var app = GateClient.Unique("relay");
        await _client.SaveStagesAsync(app, "deploy", GateClient.Wait("1", 0));

        var id = await _client.TriggerAsync(app, "deploy", new JsonObject { ["user"] = "ci-bot" }, user: "alice");

        Assert.Equal("ci-bot", (await _client.GetExecutionAsync(id))["trigger"]!["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Trigger_FillsParameterDefaultsAndKeepsGivenValues()
    {
        var app = GateClient.Unique("params");
        await _client.SavePipelineAsync(Parameterized(app, "deploy"));

        var id = await _client.TriggerAsync(app, "deploy", new JsonObject
        {
            ["parameters"] = new JsonObject { ["version"] = "1.2.3", ["region"] = "us" },
        });

        var parameters = (await _client.GetExecutionAsync(id))["trigger"]!["parameters"]!;
        Assert.Equal("staging", parameters["env"]!.GetValue<string>());
        Assert.Equal("1.2.3", parameters["version"]!.GetValue<string>());
        Assert.Equal("us", parameters["region"]!.GetValue<string>());
    }

    [Fact]
    public async Task Trigger_WithoutARequiredParameter_Returns400NamingItAndStartsNothing()
    {
        var app = GateClient.Unique("required");
        await _client.SavePipelineAsync(Parameterized(app, "deploy"));

        var response = await _client.TriggerRawAsync(app, "deploy", new JsonObject { ["parameters"] = new JsonObject { ["env"] = "prod" } });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "version");
        Assert.Empty((await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelines"))).AsArray());
    }

    [Fact]
    public async Task Trigger_WithAnEmptyRequiredParameter_Returns400NamingIt()
    {
        var app = GateClient.Unique("required");
        await _client.SavePipelineAsync(Parameterized(app, "deploy"));

        var response = await _client.TriggerRawAsync(app, "deploy", new JsonObject { ["parameters"] = new JsonObject { ["version"] = "" } });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'version'");
    }

    [Fact]
    public async Task Trigger_WithAValueOutsideTheOptions_Returns400NamingTheOptions()
    {
        var app = GateClient.Unique("options");
        await _client.SavePipelineAsync(Parameterized(app, "deploy"));

        var response = await _client.TriggerRawAsync(app, "deploy", new JsonObject
        {
            ["parameters"] = new JsonObject { ["version"] = "1", ["region"] = "mars" },
        });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "region", "mars", "eu", "us");
    }

    [Fact]
    public async Task Trigger_WithParametersThatAreNotAnObject_Returns400()
    {
        var app = GateClient.Unique("params");
        await _client.SaveStagesAsync(app, "deploy", GateClient.Wait("1", 0));

        var response = await _client.TriggerRawAsync(app, "deploy", new JsonObject { ["parameters"] = new JsonArray("a") });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "parameters");
    }

    [Fact]
    public async Task Trigger_ADisabledPipeline_Returns409()
    {
        var app = GateClient.Unique("disabled");
        await _client.SavePipelineAsync(new JsonObject
        {
            ["application"] = app,
            ["name"] = "off",
            ["disabled"] = true,
            ["stages"] = new JsonArray(GateClient.Wait("1", 0)),
        });

        await Problems.AssertProblemAsync(await _client.TriggerRawAsync(app, "off"), HttpStatusCode.Conflict, "disabled");
    }

    [Fact]
    public async Task GetExecution_ReturnsStagesWithTheirTasksAndTimes()
    {
        var app = GateClient.Unique("shape");
        var id = await _client.RunAsync(app, GateClient.Wait("1", 0), GateClient.Wait("2", 0, "1"));

        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");

        Assert.Equal(id, execution["id"]!.GetValue<string>());
        Assert.True(execution["startTime"]!.GetValue<long>() <= execution["endTime"]!.GetValue<long>());
        foreach (var refId in new[] { "1", "2" })
        {
            var stage = GateClient.Stage(execution, refId);
            Assert.Equal("SUCCEEDED", GateClient.Status(stage));
            Assert.Equal("wait", stage["type"]!.GetValue<string>());
            Assert.Equal($"wait {refId}", stage["name"]!.GetValue<string>());
            Assert.Equal(0, stage["context"]!["waitTime"]!.GetValue<double>());
            Assert.NotNull(stage["outputs"]);
            Assert.NotEmpty(stage["tasks"]!.AsArray());
            Assert.True(stage["endTime"]!.GetValue<long>() >= stage["startTime"]!.GetValue<long>());
        }
        Assert.True(GateClient.Stage(execution, "2")["startTime"]!.GetValue<long>() >= GateClient.Stage(execution, "1")["endTime"]!.GetValue<long>());
    }

    [Fact]
    public async Task GetExecution_Unknown_Returns404ProblemNamingIt()
    {
        var response = await _client.Http.GetAsync("/pipelines/01JUNKJUNKJUNKJUNKJUNKJUNK");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "01JUNKJUNKJUNKJUNKJUNKJUNK");
    }
}
