using System.Text.Json.Nodes;
using Delivery.Ui.Tests.TestHost;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Delivery.Ui.Tests;

/// <summary>The clusters view of a deployment on the local cloud: server groups, instance health, and an action.</summary>
[Collection(UiCollection.Name)]
public sealed class ClustersViewTests(UiHost host)
{
    [Fact]
    public async Task Shows_a_local_deployment_and_disables_a_server_group_after_confirmation()
    {
        var app = $"uic{Guid.NewGuid():N}"[..12];
        await host.PostAsync("/clouddriver/ops/createServerGroup", new JsonObject
        {
            ["account"] = "local",
            ["application"] = app,
            ["stack"] = "web",
            ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 1, ["desired"] = 1 },
            ["artifact"] = new JsonObject { ["command"] = "dotnet", ["args"] = new JsonArray(Repo.HelloDll) },
            ["env"] = new JsonObject { ["VERSION"] = "7" },
            ["healthCheckPath"] = "/health",
        });
        var page = await host.NewPageAsync();
        await page.GotoAsync($"/app/{app}/clusters");
        var row = page.Locator($"[data-server-group='{app}-web-v000']");
        await Expect(row).ToContainTextAsync("1/1 up");
        await Expect(row).ToContainTextAsync("VERSION=7");
        await Expect(row).ToContainTextAsync("enabled");
        await UiHost.ScreenshotAsync(page, "clusters");

        await row.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"disable {app}-web-v000?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(row).ToContainTextAsync("disabled");

        await row.GetByRole(AriaRole.Button, new() { Name = "Destroy" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
