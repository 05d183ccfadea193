using System.Net;
using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Tests.TestHost;

namespace Delivery.CanaryJudge.Tests.Api;

public class JudgeApiTests(JudgeFactory host) : IClassFixture<JudgeFactory>
{
    private static JsonObject Config() => CanaryConfigs.Config("judged",
        [CanaryConfigs.Metric("error-rate", canary: new JsonObject { ["direction"] = "increase", ["critical"] = true }), CanaryConfigs.Metric("latency", "perf")],
        ("errors", 50), ("perf", 50));

    private static JsonArray Points(int count, double level, int seed) =>
        new([.. Enumerable.Range(0, count).Select(i => (JsonNode?)JsonValue.Create(level + new Random(seed * 7919 + i).NextDouble()))]);

    private static JsonObject Request(JsonObject? config, JsonArray sets, double marginal = 50, double pass = 75)
    {
        var request = new JsonObject
        {
            ["metricSets"] = sets,
            ["scoreThresholds"] = new JsonObject { ["marginal"] = marginal, ["pass"] = pass },
        };
        if (config is not null)
        {
            request["canaryConfig"] = config;
        }
        return request;
    }

    private static JsonObject Set(string name, JsonArray control, JsonArray experiment) =>
        new() { ["name"] = name, ["control"] = control, ["experiment"] = experiment };

    [Fact]
    public async Task A_judgement_is_answered_with_its_id_and_kept_as_a_report()
    {
        var body = Request(Config(), [
            Set("error-rate", Points(120, 1, 1), Points(120, 1, 2)),
            Set("latency", Points(120, 100, 3), new JsonArray([.. Points(119, 100, 4).Select(p => p?.DeepClone()), null])),
        ]);

        var judgement = await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", body.ToJsonString()));

        Assert.Equal(100, judgement["score"]!.GetValue<double>());
        Assert.Equal("Pass", judgement["classification"]!.GetValue<string>());
        var latency = judgement["metrics"]![1]!;
        Assert.Equal("latency", latency["name"]!.GetValue<string>());
        Assert.Equal("Pass", latency["classification"]!.GetValue<string>());
        Assert.Equal(119, latency["experimentCount"]!.GetValue<int>());
        Assert.True(latency["confidenceInterval"]!["lower"]!.GetValue<double>() < 0);
        Assert.True(latency["confidenceInterval"]!["upper"]!.GetValue<double>() > 0);
        Assert.InRange(latency["pValue"]!.GetValue<double>(), 0.0, 1.0);
        Assert.InRange(latency["ratio"]!.GetValue<double>(), 0.99, 1.01);
        Assert.InRange(latency["controlMean"]!.GetValue<double>(), 100, 101);
        Assert.Equal(2, judgement["groups"]!.AsArray().Count);

        var id = judgement["id"]!.GetValue<string>();
        var report = await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Get, $"/v2/canaries/{id}"));
        Assert.Equal(id, report["id"]!.GetValue<string>());
        Assert.Equal(judgement.ToJsonString(), report["result"]!.ToJsonString());
        Assert.Equal(120, report["metricSets"]![1]!["experiment"]!.AsArray().Count);
        Assert.Null(report["metricSets"]![1]!["experiment"]![119]);
        Assert.Equal(75, report["scoreThresholds"]!["pass"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_failing_critical_metric_fails_the_canary_over_http()
    {
        var body = Request(Config(), [
            Set("error-rate", Points(60, 0, 1), Points(60, 3, 2)),
            Set("latency", Points(60, 100, 3), Points(60, 100, 3)),
        ]);

        var judgement = await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", body.ToJsonString()));

        Assert.Equal(0, judgement["score"]!.GetValue<double>());
        Assert.Equal("Fail", judgement["classification"]!.GetValue<string>());
        Assert.Equal("High", judgement["metrics"]![0]!["classification"]!.GetValue<string>());
        Assert.True(judgement["metrics"]![0]!["critical"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_stored_config_is_judged_by_its_id()
    {
        var created = await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaryConfig", Config().ToJsonString()));
        var body = Request(null, [Set("latency", Points(30, 5, 1), Points(30, 5, 1))]);
        body["canaryConfigId"] = created["canaryConfigId"]!.DeepClone();

        var judgement = await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", body.ToJsonString()));

        Assert.Equal("Nodata", judgement["metrics"]![0]!["classification"]!.GetValue<string>());
        Assert.Equal("Pass", judgement["metrics"]![1]!["classification"]!.GetValue<string>());
    }

    public static TheoryData<string, string> BadRequests() => new()
    {
        { "pass-above-100", "scoreThresholds.pass" },
        { "marginal-above-pass", "scoreThresholds.marginal" },
        { "no-thresholds", "scoreThresholds" },
        { "unknown-metric", "metricSets[0].name" },
        { "text-point", "metricSets[0].control[1]" },
        { "bad-config", "canaryConfig.metrics[0].query.type" },
        { "no-config", "canaryConfig" },
        { "no-metric-sets", "metricSets" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_judge_request_is_a_400_naming_the_field(string mistake, string field)
    {
        var set = Set("latency", new JsonArray(1, 2, 3), new JsonArray(1, 2, 3));
        var body = Request(Config(), [set]);
        switch (mistake)
        {
            case "pass-above-100": body["scoreThresholds"]!["pass"] = 120; break;
            case "marginal-above-pass": body["scoreThresholds"]!["marginal"] = 90; break;
            case "no-thresholds": body.Remove("scoreThresholds"); break;
            case "unknown-metric": set["name"] = "cpu"; break;
            case "text-point": set["control"]![1] = "two"; break;
            case "bad-config": body["canaryConfig"]!["metrics"]![0]!["query"]!["type"] = "graphite"; break;
            case "no-config": body.Remove("canaryConfig"); break;
            case "no-metric-sets": body.Remove("metricSets"); break;
        }

        var problem = await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", body.ToJsonString()), HttpStatusCode.BadRequest, field);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task Unknown_reports_and_config_ids_and_malformed_bodies_are_problems()
    {
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Get, "/v2/canaries/nope"), HttpStatusCode.NotFound, "nope");
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", "{\"canaryConfigId\": \"missing\"}"), HttpStatusCode.BadRequest, "canaryConfigId");
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", "{\"metricSets\": ["), HttpStatusCode.BadRequest, "not valid JSON");
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", "42"), HttpStatusCode.BadRequest, "JSON object");
    }
}

public class JudgeLimitsTests(SmallLimitsJudgeFactory host) : IClassFixture<SmallLimitsJudgeFactory>
{
    private static string Body(int points, int sets = 1, string padding = "")
    {
        var config = CanaryConfigs.Config("limits", [CanaryConfigs.Metric("m")]);
        config["description"] = padding;
        var metricSets = new JsonArray();
        for (var i = 0; i < sets; i++)
        {
            metricSets.Add(new JsonObject
            {
                ["name"] = i == 0 ? "m" : $"m{i}",
                ["control"] = new JsonArray([.. Enumerable.Range(0, points).Select(p => (JsonNode?)JsonValue.Create(p))]),
                ["experiment"] = new JsonArray(1),
            });
        }
        return new JsonObject
        {
            ["canaryConfig"] = config,
            ["metricSets"] = metricSets,
            ["scoreThresholds"] = new JsonObject { ["marginal"] = 50, ["pass"] = 75 },
        }.ToJsonString();
    }

    [Fact]
    public async Task Points_metric_sets_and_body_size_are_bounded()
    {
        await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", Body(10)));
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", Body(11)), HttpStatusCode.BadRequest,
            "metricSets[0].control", "at most 10");
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", Body(1, sets: 4)), HttpStatusCode.BadRequest,
            "metricSets", "at most 3");
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", Body(1, padding: new string('x', 5000))),
            HttpStatusCode.RequestEntityTooLarge, "4096 bytes");
    }
}
