using System.Net;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Delivery.Gate.Tests.OpenApi;

/// <summary>Gate's OpenAPI document at <c>/openapi/v1.json</c> and its Scalar reference at <c>/scalar</c>.</summary>
public sealed class OpenApiDocumentTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private async Task<string> DocumentTextAsync()
    {
        using var response = await factory.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Every route the host maps for clients (not those excluded from description), with each of its methods.</summary>
    private List<(string Method, string Path)> DescribedRoutes() =>
        [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any)"])
                .Select(method => (method, "/" + (e.RoutePattern.RawText ?? "").Trim('/'))))];

    [Fact]
    public async Task Document_ParsesAsOpenApiWithoutErrors()
    {
        var text = await DocumentTextAsync();

        var result = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());

        Assert.NotNull(result.Document);
        Assert.Empty(result.Diagnostic?.Errors ?? []);
        Assert.Equal("Delivery gate", result.Document.Info.Title);
        Assert.StartsWith("3.", JsonNode.Parse(text)!["openapi"]!.GetValue<string>());
    }

    [Fact]
    public async Task Document_HasEveryMappedRouteWithItsMethod()
    {
        var paths = JsonNode.Parse(await DocumentTextAsync())!["paths"]!.AsObject();
        var routes = DescribedRoutes();

        // Gate's API: applications, pipelines and executions (17 operations today); a regression to none would pass vacuously otherwise.
        Assert.True(routes.Count >= 17, $"Only {routes.Count} routes found: {string.Join(", ", routes)}");
        var missing = routes.Where(r => paths[r.Path]?[r.Method.ToLowerInvariant()] is null).ToList();
        Assert.True(missing.Count == 0, $"Not in the document: {string.Join(", ", missing.Select(m => $"{m.Method} {m.Path}"))}");
    }

    [Fact]
    public async Task Document_DescribesBodiesRepliesAndProblems()
    {
        var paths = JsonNode.Parse(await DocumentTextAsync())!["paths"]!.AsObject();

        var trigger = paths["/pipelines/{app}/{name}"]!["post"]!;
        Assert.EndsWith("/TriggerRequest", trigger["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.EndsWith("/TriggerAccepted", trigger["responses"]!["202"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        foreach (var status in new[] { "400", "404", "409", "413", "500", "504" })
        {
            Assert.NotNull(trigger["responses"]![status]!["content"]!["application/problem+json"]);
        }
        var execution = paths["/pipelines/{id}"]!["get"]!["responses"]!;
        Assert.EndsWith("/PipelineExecution", execution["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Null(execution["204"]);
        Assert.NotNull(paths["/pipelines/{app}/{name}"]!["delete"]!["responses"]!["204"]);
    }

    [Fact]
    public async Task HousekeepingRoutes_AreNotInTheDocument()
    {
        var paths = JsonNode.Parse(await DocumentTextAsync())!["paths"]!.AsObject();

        Assert.Null(paths["/health"]);
        Assert.Null(paths["/metrics"]);
    }

    [Fact]
    public async Task ReferenceUi_AnswersWithAPageAndItsScriptFromGateItself()
    {
        var client = factory.CreateClient();

        using var page = await client.GetAsync("/scalar/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("scalar.js", html);
        // Nothing that would make the browser call Scalar's services or a font CDN.
        Assert.Contains("\"telemetry\":false", html);
        Assert.Contains("\"withDefaultFonts\":false", html);
        using var script = await client.GetAsync("/scalar/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
