using System.Text.Json.Nodes;
using Delivery.Ui.Tests.TestHost;
using static Microsoft.Playwright.Assertions;

namespace Delivery.Ui.Tests;

/// <summary>A stored canary judgement as the report page shows it: score, groups, metrics and their charts.</summary>
[Collection(UiCollection.Name)]
public sealed class CanaryReportTests(UiHost host)
{
    private static JsonObject Metric(string name, string group) => new()
    {
        ["name"] = name,
        ["query"] = new JsonObject { ["type"] = "prometheus", ["metricName"] = name },
        ["groups"] = new JsonArray(group),
        ["analysisConfigurations"] = new JsonObject { ["canary"] = new JsonObject { ["direction"] = "increase" } },
        ["scopeName"] = "default",
    };

    private static JsonArray Points(double level, int seed) =>
        new([.. Enumerable.Range(0, 60).Select(i => (JsonNode?)JsonValue.Create(level + new Random(seed * 7919 + i).NextDouble()))]);

    [Fact]
    public async Task Shows_score_groups_and_each_metrics_series()
    {
        var judged = await host.PostAsync("/v2/canaries/judge", new JsonObject
        {
            ["canaryConfig"] = new JsonObject
            {
                ["name"] = "checkout",
                ["applications"] = new JsonArray("checkout"),
                ["judge"] = new JsonObject { ["name"] = "NetflixACAJudge-v1.0", ["judgeConfigurations"] = new JsonObject() },
                ["metrics"] = new JsonArray(Metric("error-rate", "errors"), Metric("latency", "perf")),
                ["classifier"] = new JsonObject { ["groupWeights"] = new JsonObject { ["errors"] = 50, ["perf"] = 50 } },
            },
            ["metricSets"] = new JsonArray(
                new JsonObject { ["name"] = "error-rate", ["control"] = Points(1, 1), ["experiment"] = Points(1, 2) },
                new JsonObject { ["name"] = "latency", ["control"] = Points(100, 3), ["experiment"] = Points(160, 4) }),
            ["scoreThresholds"] = new JsonObject { ["marginal"] = 50, ["pass"] = 75 },
        });
        var page = await host.NewPageAsync();
        await page.GotoAsync($"/canary/{judged!["id"]!.GetValue<string>()}");
        await Expect(page.Locator("section.canary h2")).ToContainTextAsync("checkout");
        await Expect(page.Locator(".metric")).ToHaveCountAsync(2);
        await Expect(page.Locator(".metric", new() { HasText = "latency" })).ToContainTextAsync("High");
        // A line chart (series) and a bar chart (distribution) per metric.
        await Expect(page.Locator(".metric .recharts-wrapper")).ToHaveCountAsync(4);
        await UiHost.ScreenshotAsync(page, "canary-report");
        await page.Context.CloseAsync();
    }
}
