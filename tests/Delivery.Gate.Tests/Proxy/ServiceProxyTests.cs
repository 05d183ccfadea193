using System.Net;
using System.Text;
using Delivery.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Delivery.Gate.Tests.Proxy;

/// <summary>
/// A gate on its own (the gate host's composition, on the in-memory bus) forwarding clouddriver's routes to a real
/// HTTP server on 127.0.0.1 that stands in for clouddriver and tells what it received.
/// </summary>
public sealed class ServiceProxyTests : IAsyncLifetime
{
    private WebApplication _upstream = null!;
    private WebApplication _gate = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var upstream = WebApplication.CreateSlimBuilder();
        upstream.WebHost.UseUrls("http://127.0.0.1:0");
        _upstream = upstream.Build();
        _upstream.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($"{{\"method\":\"{context.Request.Method}\",\"path\":\"{context.Request.Path}{context.Request.QueryString}\",\"body\":{(body.Length == 0 ? "null" : body)},\"user\":\"{context.Request.Headers["X-SPINNAKER-USER"]}\"}}");
        });
        await _upstream.StartAsync();

        var gate = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        gate.WebHost.UseUrls("http://127.0.0.1:0");
        gate.Configuration["Delivery:Bus:Transport"] = "InMemory";
        gate.Configuration["Delivery:Store:Kind"] = "InMemory";
        gate.Configuration["Delivery:Gate:Services:Clouddriver"] = _upstream.Urls.Single();
        gate.Configuration["Delivery:Gate:Services:Echo"] = "http://127.0.0.1:1";
        gate.Configuration["Logging:LogLevel:Default"] = "Warning";
        gate.AddServiceDefaults();
        gate.AddGate();
        gate.AddDeliveryBus();
        _gate = gate.Build();
        _gate.MapServiceDefaults();
        _gate.MapGate();
        await _gate.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_gate.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gate.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Theory]
    [InlineData("/credentials")]
    [InlineData("/applications/demo/serverGroups?expand=true")]
    [InlineData("/applications/demo/clusters")]
    [InlineData("/applications/demo/loadBalancers")]
    [InlineData("/instances/local/demo-web-v000-1/console")]
    public async Task ClouddriverReads_AreForwardedAsTheyCame(string path)
    {
        var body = await _http.GetStringAsync(path);

        Assert.Contains($"\"path\":\"{path}\"", body);
        Assert.Contains("\"method\":\"GET\"", body);
    }

    [Fact]
    public async Task AnOperation_IsForwardedWithItsBodyAndUser()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/clouddriver/ops/resizeServerGroup")
        {
            Content = new StringContent("{\"serverGroupName\":\"demo-web-v001\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-SPINNAKER-USER", "alice");

        var body = await (await _http.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("\"body\":{\"serverGroupName\":\"demo-web-v001\"}", body);
        Assert.Contains("\"user\":\"alice\"", body);
    }

    [Fact]
    public async Task GatesOwnRoutes_StayWithGate() =>
        Assert.DoesNotContain("\"path\"", await (await _http.GetAsync("/applications/demo/pipelineConfigs")).Content.ReadAsStringAsync());

    [Fact]
    public async Task AnUnreachableService_Is502() =>
        Assert.Equal(HttpStatusCode.BadGateway, (await _http.PostAsync("/webhooks/webhook/ci", new StringContent("{}"))).StatusCode);
}
