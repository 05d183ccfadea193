using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Tests.TestHost;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Tests.Api;

public class ReportBoundTests(SmallReportsJudgeFactory host) : IClassFixture<SmallReportsJudgeFactory>
{
    private static string Request(int points)
    {
        JsonArray Points(double level) => new([.. Enumerable.Range(0, points).Select(i => (JsonNode?)JsonValue.Create(level + i % 7 * 0.125))]);
        var config = CanaryConfigs.Config("bounded", [CanaryConfigs.Metric("errors"), CanaryConfigs.Metric("latency")]);
        return new JsonObject
        {
            ["canaryConfig"] = config,
            ["metricSets"] = new JsonArray(
                new JsonObject { ["name"] = "errors", ["control"] = Points(1), ["experiment"] = Points(1) },
                new JsonObject { ["name"] = "latency", ["control"] = Points(100), ["experiment"] = Points(150) }),
            ["scoreThresholds"] = new JsonObject { ["marginal"] = 50, ["pass"] = 75 },
        }.ToJsonString();
    }

    private async Task<(JsonNode Judgement, JsonNode Report)> JudgeAsync(int points)
    {
        var judgement = await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Post, "/v2/canaries/judge", Request(points)));
        var report = await JudgeFactory.OkJsonAsync(await host.SendAsync(HttpMethod.Get, $"/v2/canaries/{judgement["id"]!.GetValue<string>()}"));
        return (judgement, report);
    }

    [Fact]
    public async Task A_report_above_MaxReportBytes_is_stored_without_its_points_but_with_every_result()
    {
        var (judgement, report) = await JudgeAsync(points: 500);

        Assert.Empty(report["metricSets"]!.AsArray());
        Assert.Equal(judgement.ToJsonString(), report["result"]!.ToJsonString());
        var metrics = report["result"]!["metrics"]!.AsArray();
        Assert.Equal(["errors", "latency"], metrics.Select(m => m!["name"]!.GetValue<string>()));
        Assert.Equal("Pass", metrics[0]!["classification"]!.GetValue<string>());
        Assert.Equal("High", metrics[1]!["classification"]!.GetValue<string>());
        Assert.Equal(500, metrics[1]!["experimentCount"]!.GetValue<int>());
        Assert.NotNull(metrics[1]!["pValue"]);
        var omitted = report["pointsOmitted"]!;
        Assert.Equal(4096, omitted["maxReportBytes"]!.GetValue<long>());
        Assert.True(omitted["reportBytes"]!.GetValue<long>() > 4 * 500 * 5, omitted.ToJsonString());
        Assert.Contains("MaxReportBytes (4096)", omitted["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_under_MaxReportBytes_keeps_its_points()
    {
        var (_, report) = await JudgeAsync(points: 10);

        Assert.Equal(10, report["metricSets"]![1]!["experiment"]!.AsArray().Count);
        Assert.Null(report["pointsOmitted"]);
    }

    [Fact]
    public void The_report_bounds_are_validated_at_start()
    {
        using var bad = new SmallLimitsFactory("Delivery:CanaryJudge:MaxReportBytes", "10");
        Assert.Throws<OptionsValidationException>(() => bad.CreateClient());
    }

    private sealed class SmallLimitsFactory(string key, string value) : JudgeFactory(new Dictionary<string, string?> { [key] = value });
}
