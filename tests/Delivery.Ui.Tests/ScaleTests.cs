using System.Diagnostics;
using System.Text.Json.Nodes;
using Delivery.Ui.Tests.TestHost;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Delivery.Ui.Tests;

/// <summary>
/// The executions list, the stage graph and the clusters view with 200 executions, a 60-stage pipeline and
/// 50 server groups: each must render all of it and answer a click. Time to interactive is measured and
/// written to the test output (the figure, not a pass/fail bound: this machine is shared). The executions list
/// is interactive once its first button answers; it then shows one pipeline's 200 executions.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class ScaleTests(UiHost host, ITestOutputHelper output)
{
    [Fact]
    public async Task Executions_graph_and_clusters_stay_usable_at_scale()
    {
        var app = $"uis{Guid.NewGuid():N}"[..12];
        // 60 stages: six parallel branches of ten, joined at the end.
        var stages = new JsonArray();
        for (var i = 1; i <= 60; i++)
        {
            stages.Add(new JsonObject
            {
                ["refId"] = $"{i}",
                ["type"] = "wait",
                ["waitTime"] = 0,
                ["requisiteStageRefIds"] = i % 10 == 1 ? new JsonArray() : new JsonArray($"{i - 1}"),
            });
        }
        stages.Add(new JsonObject { ["refId"] = "join", ["type"] = "wait", ["waitTime"] = 0, ["requisiteStageRefIds"] = new JsonArray([.. Enumerable.Range(1, 6).Select(b => (JsonNode)$"{b * 10}")]) });
        await host.PostAsync("/pipelines", new JsonObject { ["application"] = app, ["name"] = "wide", ["stages"] = stages });
        await host.PostAsync("/pipelines", new JsonObject
        {
            ["application"] = app,
            ["name"] = "many",
            ["limitConcurrent"] = false,
            ["stages"] = new JsonArray(new JsonObject { ["refId"] = "1", ["type"] = "wait", ["waitTime"] = 0 }),
        });
        var wide = (await host.PostAsync($"/pipelines/{app}/wide", new JsonObject()))!["ref"]!.GetValue<string>().Split('/')[^1];
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => host.PostAsync($"/pipelines/{app}/many", new JsonObject())));
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => host.PostAsync("/clouddriver/ops/createServerGroup", new JsonObject
        {
            ["account"] = "local",
            ["application"] = app,
            ["stack"] = $"s{i % 5}",
            // No instances: the view's size is what is measured, not 50 processes starting.
            ["capacity"] = new JsonObject { ["min"] = 0, ["max"] = 0, ["desired"] = 0 },
            ["artifact"] = new JsonObject { ["command"] = "dotnet", ["args"] = new JsonArray(Repo.HelloDll) },
        })));

        // The API's share of the list's time, for comparison.
        var clock = Stopwatch.StartNew();
        using (var listed = await host.Http.GetAsync($"/applications/{app}/pipelines?limit=200"))
        {
            listed.EnsureSuccessStatusCode();
            output.WriteLine($"api_executions_200_ms: {clock.ElapsedMilliseconds} ({(await listed.Content.ReadAsByteArrayAsync()).Length} bytes)");
        }

        var page = await host.NewPageAsync();
        clock.Restart();
        await page.GotoAsync($"/app/{app}");
        var many = page.Locator("[data-pipeline='many']");
        await many.GetByRole(AriaRole.Button, new() { Name = "Show up to 200 executions" }).ClickAsync();
        var interactive = clock.ElapsedMilliseconds;
        await Expect(many.Locator("tr[data-execution]")).ToHaveCountAsync(200);
        output.WriteLine($"ui_executions_list_interactive_ms: {interactive}; with all 200 executions shown: {clock.ElapsedMilliseconds}");

        clock.Restart();
        await page.GotoAsync($"/app/{app}/executions/{wide}");
        await Expect(page.Locator(".react-flow__node")).ToHaveCountAsync(61);
        await page.Locator(".react-flow__node[data-id='35']").ClickAsync();
        await Expect(page.Locator(".stage-details[data-stage='35']")).ToBeVisibleAsync();
        output.WriteLine($"ui_stage_graph_interactive_ms: {clock.ElapsedMilliseconds} (61 stages)");
        await UiHost.ScreenshotAsync(page, "execution-parallel");

        clock.Restart();
        await page.GotoAsync($"/app/{app}/clusters");
        await Expect(page.Locator("tr[data-server-group]")).ToHaveCountAsync(50);
        await page.Locator("tr[data-server-group]").First.GetByRole(AriaRole.Button, new() { Name = "Resize" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        output.WriteLine($"ui_clusters_interactive_ms: {clock.ElapsedMilliseconds} (50 server groups)");
        await page.Context.CloseAsync();
    }
}
