using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Delivery.Ui.Tests.TestHost;

namespace Delivery.Ui.Tests;

/// <summary>Gate serving the UI at / (GateUi) without changing what any API path answers.</summary>
[Collection(UiCollection.Name)]
public sealed partial class GateUiTests(UiHost host)
{
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accept)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        return await host.Http.SendAsync(request);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/app/demo")]
    [InlineData("/app/demo/executions/01J0000000")]
    [InlineData("/canary/abc")]
    public async Task A_browser_gets_the_ui_for_any_page_outside_the_api(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, "text/html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"root\">", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/applications/demo/no/such/thing", "text/html", HttpStatusCode.NotFound)]
    [InlineData("GET", "/v2/nothing", "text/html", HttpStatusCode.NotFound)]
    [InlineData("GET", "/no-such-page", "application/json", HttpStatusCode.NotFound)]
    [InlineData("POST", "/no-such-page", "text/html", HttpStatusCode.NotFound)]
    [InlineData("POST", "/applications/demo/pipelineConfigs", "text/html", HttpStatusCode.MethodNotAllowed)]
    public async Task Api_paths_and_non_page_requests_still_get_their_problem(string method, string path, string accept, HttpStatusCode status)
    {
        using var response = await SendAsync(new HttpMethod(method), path, accept);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Api_routes_answer_json_to_a_browser_and_assets_are_cached_by_hash()
    {
        using (var apps = await SendAsync(HttpMethod.Get, "/applications", "text/html"))
        {
            Assert.Equal(HttpStatusCode.OK, apps.StatusCode);
            Assert.Equal("application/json", apps.Content.Headers.ContentType?.MediaType);
        }
        using (var document = await SendAsync(HttpMethod.Get, "/openapi/v1.json", "application/json"))
        {
            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        }
        using var index = await SendAsync(HttpMethod.Get, "/", "text/html");
        Assert.Equal("no-cache", index.Headers.CacheControl?.ToString());
        var script = AssetPath().Match(await index.Content.ReadAsStringAsync()).Value;
        using var asset = await SendAsync(HttpMethod.Get, script, "*/*");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString());
    }

    [GeneratedRegex("/assets/[^\"]+\\.js")]
    private static partial Regex AssetPath();
}
