using System.Net;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;
using static Delivery.Gate.Tests.TestHost.TestPipelines;

namespace Delivery.Gate.Tests;

/// <summary>
/// Triggers gate refuses when a pipeline is saved: cron triggers echo could not schedule or that would fire more often
/// than <c>Delivery:Orchestrator:MinCronIntervalSeconds</c> (60 by default), and pipeline triggers on the pipeline itself.
/// </summary>
public sealed class PipelineTriggerValidationTests(GateFactory factory) : IClassFixture<GateFactory>
{
    /// <summary>The problem type gate gives a 400.</summary>
    public const string BadRequestType = "https://tools.ietf.org/html/rfc9110#section-15.5.1";

    private readonly GateClient _client = factory.CreateGateClient();

    private readonly string _app = GateClient.Unique("triggers");

    private static JsonObject WithTriggers(JsonObject pipeline, params JsonObject[] triggers)
    {
        pipeline["triggers"] = new JsonArray(triggers);
        return pipeline;
    }

    private static JsonObject Cron(string? expression, string? timezone = null, bool enabled = true)
    {
        var trigger = new JsonObject { ["type"] = "cron", ["enabled"] = enabled };
        if (expression is not null)
        {
            trigger["cronExpression"] = expression;
        }
        if (timezone is not null)
        {
            trigger["timezone"] = timezone;
        }
        return trigger;
    }

    /// <summary>Asserts a 400 problem of type <see cref="BadRequestType"/> whose <c>errors</c> has exactly <paramref name="path"/>; returns its message.</summary>
    internal static async Task<string> AssertRefusedAtAsync(HttpResponseMessage response, string path, params string[] mentions)
    {
        var body = await response.Content.ReadAsStringAsync();
        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, mentions);
        Assert.Equal(BadRequestType, JsonNode.Parse(body)!["type"]?.GetValue<string>());
        var errors = await Problems.ErrorsAsync(response);
        Assert.Equal([path], errors.Keys);
        return Assert.Single(errors[path]);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("0 0 25 * * ?")]
    [InlineData("")]
    public async Task Cron_WithAnExpressionThatIsNotQuartz_Returns400NamingTheField(string expression)
    {
        var response = await _client.PostAsync("/pipelines", WithTriggers(Pipeline(_app, "cronjunk", Stage("1")), Cron(expression)));

        await AssertRefusedAtAsync(response, "triggers[0].cronExpression", "not a Quartz cron expression");
        await _client.AssertNeverSavedOrStartedAsync(_app, "cronjunk");
    }

    [Fact]
    public async Task Cron_WithoutAnExpression_Returns400NamingTheField()
    {
        var response = await _client.PostAsync("/pipelines", WithTriggers(Pipeline(_app, "cronjunk", Stage("1")), Cron(null)));

        await AssertRefusedAtAsync(response, "triggers[0].cronExpression", "'cronExpression' is required");
    }

    [Fact]
    public async Task Cron_WithAnUnknownTimeZone_Returns400NamingTheField()
    {
        var response = await _client.PostAsync("/pipelines", WithTriggers(Pipeline(_app, "cronjunk", Stage("1")), Cron("0 0 2 * * ?", "Mars/Olympus")));

        await AssertRefusedAtAsync(response, "triggers[0].timezone", "Mars/Olympus");
    }

    [Theory]
    [InlineData("* * * * * ?", true)]
    [InlineData("0/1 * * * * ?", true)]
    [InlineData("0/30 * * * * ?", true)]
    [InlineData("0/1 * * * * ?", false)]
    // Every second, but only on 29 February: the burst is found however far away it is.
    [InlineData("* * * 29 2 ?", true)]
    public async Task Cron_FiringMoreOftenThanOncePerMinute_Returns400NamingTheFieldAndTheFloor(string expression, bool enabled)
    {
        var pipeline = WithTriggers(Pipeline(_app, "every-second", Stage("1")), new JsonObject { ["type"] = "jenkins", ["master"] = "ci", ["job"] = "build" }, Cron(expression, "Europe/Paris", enabled));

        var response = await _client.PostAsync("/pipelines", pipeline);

        var message = await AssertRefusedAtAsync(response, "triggers[1].cronExpression", "triggers[1] (cron)", "once every 60 s");
        Assert.Contains(expression, message);
        await _client.AssertNeverSavedOrStartedAsync(_app, "every-second");
    }

    [Theory]
    [InlineData("0 * * * * ?", null)]
    [InlineData("0 0/30 * * * ?", "Europe/Paris")]
    [InlineData("0 0 2 ? * MON-FRI", "America/New_York")]
    // Echo schedules an empty time zone as UTC.
    [InlineData("0 0 * * * ?", "")]
    public async Task Cron_AtMostOncePerMinute_IsSaved(string expression, string? timezone)
    {
        var saved = await _client.SavePipelineAsync(WithTriggers(Pipeline(_app, "nightly", Stage("1")), Cron(expression, timezone)));

        Assert.Equal(expression, saved["triggers"]![0]!["cronExpression"]!.GetValue<string>());
    }

    [Fact]
    public async Task PipelineTrigger_OnTheIdTheBodyGives_Returns400WouldTriggerItself()
    {
        var id = Guid.NewGuid().ToString();
        var pipeline = Pipeline(_app, "loop", Stage("1"));
        pipeline["id"] = id;
        WithTriggers(pipeline, new JsonObject { ["type"] = "pipeline", ["application"] = _app, ["pipeline"] = id, ["status"] = new JsonArray("successful") });

        var response = await _client.PostAsync("/pipelines", pipeline);

        await AssertRefusedAtAsync(response, "triggers[0].pipeline", "would trigger itself", id);
        await _client.AssertNeverSavedOrStartedAsync(_app, "loop");
    }

    [Fact]
    public async Task PipelineTrigger_OnItsOwnIdWhenSavedAgainWithoutTheId_Returns400WouldTriggerItself()
    {
        var saved = await _client.SavePipelineAsync(Pipeline(_app, "loop", Stage("1")));
        var id = saved["id"]!.GetValue<string>();
        // The body has no id: the pipeline keeps the one it was saved with, which the trigger names.
        var again = WithTriggers(Pipeline(_app, "loop", Stage("1")), new JsonObject { ["type"] = "pipeline", ["pipeline"] = id, ["status"] = new JsonArray("successful") });

        var response = await _client.PostAsync("/pipelines", again);

        await AssertRefusedAtAsync(response, "triggers[0].pipeline", "would trigger itself");
        var stored = await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{_app}/pipelineConfigs/loop"));
        Assert.Null(stored["triggers"]);
    }

    [Fact]
    public async Task PipelineTrigger_OnAnotherPipeline_IsSaved()
    {
        var upstream = await _client.SavePipelineAsync(Pipeline(_app, "build", Stage("1")));

        var saved = await _client.SavePipelineAsync(WithTriggers(Pipeline(_app, "deploy", Stage("1")),
            new JsonObject { ["type"] = "pipeline", ["pipeline"] = upstream["id"]!.GetValue<string>(), ["status"] = new JsonArray("successful") }));

        Assert.NotEqual(upstream["id"]!.GetValue<string>(), saved["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"type\":\"cron\"}", "triggers")]
    [InlineData("[\"cron\"]", "triggers[0]")]
    public async Task Triggers_OfTheWrongShape_Returns400NamingThePath(string triggers, string path)
    {
        var response = await _client.SavePipelineRawAsync($"{{\"application\":\"{_app}\",\"name\":\"p\",\"stages\":[],\"triggers\":{triggers}}}");

        await AssertRefusedAtAsync(response, path, path);
    }
}

/// <summary>A host whose cron floor is lowered to two seconds.</summary>
public sealed class FastCronGateFactory() : GateFactory(new Dictionary<string, string?> { ["Delivery:Orchestrator:MinCronIntervalSeconds"] = "2" });

/// <summary><c>Delivery:Orchestrator:MinCronIntervalSeconds</c> sets the floor.</summary>
public sealed class MinCronIntervalTests(FastCronGateFactory factory) : IClassFixture<FastCronGateFactory>
{
    private readonly GateClient _client = factory.CreateGateClient();

    private static JsonObject EveryFewSeconds(string app, string expression)
    {
        var pipeline = Pipeline(app, "fast", Stage("1"));
        pipeline["triggers"] = new JsonArray(new JsonObject { ["type"] = "cron", ["enabled"] = false, ["cronExpression"] = expression });
        return pipeline;
    }

    [Fact]
    public async Task ALowerFloor_TakesASchedulesAsFastAsIt_AndRefusesAFasterOne()
    {
        var app = GateClient.Unique("fastcron");

        await _client.SavePipelineAsync(EveryFewSeconds(app, "0/2 * * * * ?"));
        var response = await _client.PostAsync("/pipelines", EveryFewSeconds(app, "* * * * * ?"));

        await PipelineTriggerValidationTests.AssertRefusedAtAsync(response, "triggers[0].cronExpression", "once every 2 s");
    }

    private sealed class FloorGateFactory(string seconds) : GateFactory(new Dictionary<string, string?> { ["Delivery:Orchestrator:MinCronIntervalSeconds"] = seconds });

    [Theory]
    [InlineData("0")]
    [InlineData("86401")]
    public void AFloorOutOfRange_StopsTheHostAtStart(string seconds)
    {
        using var host = new FloorGateFactory(seconds);

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("MinCronIntervalSeconds", failure.ToString());
    }
}
