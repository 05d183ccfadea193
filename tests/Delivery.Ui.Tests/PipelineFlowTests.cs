using System.Text.RegularExpressions;
using Delivery.Ui.Tests.TestHost;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Delivery.Ui.Tests;

/// <summary>
/// A newcomer's path through the UI, with no JSON: create an application, build wait -> manual judgment in
/// the editor, save, run, watch the execution reach the judgment live, Continue, see SUCCEEDED.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class PipelineFlowTests(UiHost host)
{
    [Fact]
    public async Task Create_build_run_and_approve_a_pipeline_without_reloading()
    {
        var app = $"ui{Guid.NewGuid():N}"[..12];
        var page = await host.NewPageAsync();
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame && frame.Url.Contains("/executions/") ? 1 : 0;

        await page.GotoAsync("/");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(app);
        await page.GetByLabel("Email").FillAsync("team@example.com");
        await page.GetByLabel("Owners (groups, comma-separated)").FillAsync("platform, release");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create application" }).ClickAsync();
        await page.GetByLabel("Search applications").FillAsync(app);
        await Expect(page.Locator("table.list tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("table.list tbody tr")).ToContainTextAsync("platform, release");
        await UiHost.ScreenshotAsync(page, "applications");
        await page.GetByRole(AriaRole.Link, new() { Name = app }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "New pipeline" }).ClickAsync();
        await page.GetByLabel("Pipeline name").FillAsync("approve");
        await page.GetByLabel("Stage type").SelectOptionAsync("wait");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add stage" }).ClickAsync();
        // A wait time that is not a number: the server's problem is shown next to that field.
        await page.GetByLabel("Wait time (seconds)").FillAsync("soon");
        await page.GetByLabel("Stage type").SelectOptionAsync("manualJudgment");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add stage" }).ClickAsync();
        await page.GetByLabel("Instructions").FillAsync("Check the dashboards, then continue.");
        await page.GetByLabel("Judgment inputs (one per line)").FillAsync("ship\nhold");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByText("Not saved")).ToBeVisibleAsync();
        await page.Locator(".react-flow__node[data-id='1']").ClickAsync();
        await Expect(page.Locator("[data-field='waitTime'] .field-error")).ToContainTextAsync("'waitTime' must be a number");
        await UiHost.ScreenshotAsync(page, "editor-validation");
        await page.GetByLabel("Wait time (seconds)").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByText("Saved", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/app/{app}/edit/approve$"));
        // The graph shows the chain: wait -> manualJudgment.
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(1);
        await UiHost.ScreenshotAsync(page, "editor");

        await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/app/{app}/executions/"));
        var navigationsAtStart = navigations;

        // The wait runs, then the judgment asks: both shown as they happen, from the event stream.
        var judgment = page.Locator(".judgment");
        await Expect(judgment).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(judgment).ToContainTextAsync("Check the dashboards, then continue.");
        await Expect(page.Locator(".react-flow__node[data-id='1']")).ToContainTextAsync("SUCCEEDED");
        await UiHost.ScreenshotAsync(page, "execution-judgment");
        await judgment.GetByLabel("Judgment input").SelectOptionAsync("ship");
        await judgment.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator("section.execution")).ToHaveAttributeAsync("data-execution-status", "SUCCEEDED", new() { Timeout = 30_000 });
        await Expect(page.Locator(".stage-details")).ToContainTextAsync("judgmentInput");
        await UiHost.ScreenshotAsync(page, "execution-succeeded");
        Assert.Equal(navigationsAtStart, navigations);

        // The pipelines view lists the run.
        await page.GetByRole(AriaRole.Link, new() { Name = "approve" }).ClickAsync();
        await Expect(page.Locator("[data-pipeline='approve'] [data-status='SUCCEEDED']")).ToHaveCountAsync(1);
        await UiHost.ScreenshotAsync(page, "pipelines");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_failed_call_shows_its_problem_not_a_blank_page()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/app/nosuchapp/executions/does-not-exist");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does-not-exist");
        // A reload of a UI route gets the UI again, while API paths keep answering JSON.
        var api = await host.Http.GetAsync("/applications/nosuchapp/pipelines/nothing/here");
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        await page.Context.CloseAsync();
    }
}
