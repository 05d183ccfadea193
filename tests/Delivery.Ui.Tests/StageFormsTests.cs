using System.Text.Json.Nodes;
using Delivery.Ui.Tests.TestHost;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Delivery.Ui.Tests;

/// <summary>
/// The forms of the Kubernetes and canary stages: a deployManifest written as YAML is saved as the JSON manifests
/// clouddriver's kubernetes provider reads, and a kayentaCanary's fields land where canary-judge reads them.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class StageFormsTests(UiHost host)
{
    private const string Manifests = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports:
            - port: 80
        """;

    [Fact]
    public async Task DeployManifest_yaml_and_kayentaCanary_fields_are_saved_as_the_stages_read_them()
    {
        var app = $"uif{Guid.NewGuid():N}"[..12];
        var page = await host.NewPageAsync();
        await page.GotoAsync($"/app/{app}/edit");
        await page.GetByLabel("Pipeline name").FillAsync("canary");

        await page.GetByLabel("Stage type").SelectOptionAsync("deployManifest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add stage" }).ClickAsync();
        await page.GetByLabel("Account", new() { Exact = true }).FillAsync("k8s");
        await page.GetByLabel("Namespace override").FillAsync("staging");
        var manifests = page.GetByLabel("Manifests (YAML or JSON; documents separated by ---)");
        // A document without a name is named in the error, and the text is kept as typed.
        await manifests.FillAsync("apiVersion: v1\nkind: Service\nmetadata: {}\n");
        await Expect(page.Locator("[data-field='manifests'] .field-error")).ToContainTextAsync("Document 1: 'metadata.name' is required for the Service.");
        await manifests.FillAsync(Manifests);
        await Expect(page.Locator("[data-field='manifests']")).ToContainTextAsync("2 manifests: Deployment web, Service web");
        await page.GetByLabel("Moniker cluster").FillAsync("web");
        await page.GetByLabel("Manage traffic").CheckAsync();
        await page.GetByLabel("Services (one per line, e.g. service web)").FillAsync("service web");
        await UiHost.ScreenshotAsync(page, "editor-deploy-manifest");

        await page.GetByLabel("Stage type").SelectOptionAsync("kayentaCanary");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add stage" }).ClickAsync();
        await page.GetByLabel("Canary config id").FillAsync("latency");
        await page.GetByLabel("Lifetime (ISO-8601, e.g. PT1H30M)").FillAsync("PT30M");
        await page.GetByLabel("Interval (minutes)").FillAsync("10");
        await page.GetByLabel("Pass score (0-100)").FillAsync("90");
        await page.GetByLabel("Baseline account").FillAsync("local");
        await page.GetByLabel("Baseline cluster (production)").FillAsync("web-prod");
        await page.GetByLabel("Production load balancer").FillAsync("web-lb");
        await page.GetByLabel("Traffic to each of baseline and canary (%)").FillAsync("5");
        await UiHost.ScreenshotAsync(page, "editor-kayenta-canary");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByText("Saved", new() { Exact = true })).ToBeVisibleAsync();

        var saved = JsonNode.Parse(await host.Http.GetStringAsync($"/applications/{app}/pipelineConfigs/canary"))!;
        var deploy = saved["stages"]![0]!;
        Assert.Equal("deployManifest", deploy["type"]!.GetValue<string>());
        Assert.Equal("k8s", deploy["account"]!.GetValue<string>());
        Assert.Equal("staging", deploy["namespaceOverride"]!.GetValue<string>());
        Assert.Equal("web", deploy["moniker"]!["cluster"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2}},
             {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"ports":[{"port":80}]}}]
            """), deploy["manifests"]), deploy["manifests"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"enabled":true,"options":{"services":["service web"]}}"""), deploy["trafficManagement"]));

        var canary = saved["stages"]![1]!;
        Assert.Equal(["1"], canary["requisiteStageRefIds"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"lifetimeDuration":"PT30M","scoreThresholds":{"marginal":75,"pass":90},"canaryConfigId":"latency","canaryAnalysisIntervalMins":10}
            """), canary["canaryConfig"]), canary["canaryConfig"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"baseline":{"account":"local","cluster":"web-prod"},"loadBalancer":"web-lb","trafficPercent":5}
            """), canary["deployments"]), canary["deployments"]!.ToJsonString());
        await page.Context.CloseAsync();
    }
}
