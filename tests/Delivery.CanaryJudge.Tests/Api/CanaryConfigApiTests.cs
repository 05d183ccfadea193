using System.Net;
using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Tests.TestHost;

namespace Delivery.CanaryJudge.Tests.Api;

public class CanaryConfigApiTests(JudgeFactory host) : IClassFixture<JudgeFactory>
{
    private static JsonObject Valid(string name) => CanaryConfigs.Config(name,
        [CanaryConfigs.Metric("errors", canary: new JsonObject { ["direction"] = "increase", ["critical"] = true }), CanaryConfigs.Metric("latency", "perf")],
        ("errors", 70), ("perf", 30));

    [Fact]
    public async Task A_config_is_created_listed_read_updated_and_deleted()
    {
        var name = "cfg-" + Guid.NewGuid().ToString("N")[..8];
        var created = await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaryConfig", Valid(name).ToJsonString()));
        var id = created["canaryConfigId"]!.GetValue<string>();

        var list = (await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Get, "/v2/canaryConfig?application=app"))).AsArray();
        Assert.Contains(list, c => c!["id"]!.GetValue<string>() == id && c["name"]!.GetValue<string>() == name);

        var read = await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Get, $"/v2/canaryConfig/{id}"));
        Assert.Equal(id, read["id"]!.GetValue<string>());
        Assert.Equal("increase", read["metrics"]![0]!["analysisConfigurations"]!["canary"]!["direction"]!.GetValue<string>());
        Assert.EndsWith("Z", read["createdTimestampIso"]!.GetValue<string>());
        var createdAt = read["createdTimestamp"]!.GetValue<long>();

        var changed = Valid(name);
        changed["description"] = "second version";
        await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Put, $"/v2/canaryConfig/{id}", changed.ToJsonString()));
        read = await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Get, $"/v2/canaryConfig/{id}"));
        Assert.Equal("second version", read["description"]!.GetValue<string>());
        Assert.Equal(createdAt, read["createdTimestamp"]!.GetValue<long>());

        Assert.Equal(HttpStatusCode.NoContent, (await host.SendAsync(HttpMethod.Delete, $"/v2/canaryConfig/{id}")).StatusCode);
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Get, $"/v2/canaryConfig/{id}"), HttpStatusCode.NotFound, id);
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Put, $"/v2/canaryConfig/{id}", changed.ToJsonString()), HttpStatusCode.NotFound, id);
    }

    [Fact]
    public async Task Creating_an_existing_id_again_is_a_conflict()
    {
        var config = Valid("twice");
        config["id"] = "cfg-" + Guid.NewGuid().ToString("N");
        await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaryConfig", config.ToJsonString()));

        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaryConfig", config.ToJsonString()), HttpStatusCode.Conflict, "already exists");
    }

    public static TheoryData<string, string> BadConfigs() => new()
    {
        { "empty-metrics", "metrics" },
        { "unknown-source", "metrics[0].query.type" },
        { "weights-not-100", "classifier.groupWeights" },
        { "group-without-weight", "metrics[1].groups[0]" },
        { "bad-direction", "metrics[0].analysisConfigurations.canary.direction" },
        { "bad-nan-strategy", "metrics[0].analysisConfigurations.canary.nanStrategy" },
        { "bad-effect-measure", "metrics[0].analysisConfigurations.canary.effectSize.measure" },
        { "pass-above-100", "classifier.scoreThresholds.pass" },
        { "marginal-above-pass", "classifier.scoreThresholds.marginal" },
        { "no-name", "name" },
        { "duplicate-metric", "metrics[1].name" },
        { "unknown-local-metric", "metrics[0].query.metricName" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public async Task A_bad_config_is_a_400_naming_the_field(string mistake, string field)
    {
        var config = Valid("bad");
        var metrics = config["metrics"]!.AsArray();
        var canary = metrics[0]!["analysisConfigurations"]!["canary"]!.AsObject();
        switch (mistake)
        {
            case "empty-metrics": metrics.Clear(); break;
            case "unknown-source": metrics[0]!["query"]!["type"] = "atlas"; break;
            case "weights-not-100": config["classifier"]!["groupWeights"]!["perf"] = 20; break;
            case "group-without-weight": metrics[1]!["groups"] = new JsonArray("nobody"); break;
            case "bad-direction": canary["direction"] = "up"; break;
            case "bad-nan-strategy": canary["nanStrategy"] = "ignore"; break;
            case "bad-effect-measure": canary["effectSize"] = new JsonObject { ["measure"] = "cohen" }; break;
            case "pass-above-100": config["classifier"]!["scoreThresholds"] = new JsonObject { ["marginal"] = 50, ["pass"] = 101 }; break;
            case "marginal-above-pass": config["classifier"]!["scoreThresholds"] = new JsonObject { ["marginal"] = 80, ["pass"] = 70 }; break;
            case "no-name": config.Remove("name"); break;
            case "duplicate-metric": metrics[1]!["name"] = "errors"; break;
            case "unknown-local-metric": metrics[0]!["query"] = new JsonObject { ["type"] = "local", ["metricName"] = "cpu" }; break;
        }

        var problem = await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaryConfig", config.ToJsonString()), HttpStatusCode.BadRequest, field);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_a_400()
    {
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaryConfig", "[1, 2"), HttpStatusCode.BadRequest, "not valid JSON");
        await JudgeFactory.ProblemAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaryConfig", "[]"), HttpStatusCode.BadRequest, "must be a JSON object");
    }
}
