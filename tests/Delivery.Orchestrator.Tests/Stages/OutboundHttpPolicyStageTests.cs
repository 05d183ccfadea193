using System.Net;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.Stages.Support;
using Delivery.Orchestrator.Tests.TestHost;
using Delivery.ServiceDefaults.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Stages;

/// <summary>
/// A pipeline cannot make the server call loopback, link-local or metadata addresses unless configured
/// (Orca's UserConfiguredUrlRestrictions): the webhook stage fails at once, naming the rule.
/// </summary>
public sealed class OutboundHttpPolicyStageTests : IDisposable
{
    // Only the literal host name "127.0.0.1" is allowed, so the stub's first hop works while
    // "localhost" (which resolves to loopback) and a redirect to it are refused.
    private readonly StandaloneFactory _factory = new(TestStages.Register, new Dictionary<string, string?>
    {
        ["Delivery:Http:AllowedHosts:0"] = "127.0.0.1",
        ["Delivery:Webhook:RetryBackoff"] = "00:00:00.020",
        ["Delivery:Webhook:MaxRetryBackoff"] = "00:00:00.100",
    });

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is link-local")]
    [InlineData("http://[::1]:9/x", "::1 is loopback")]
    [InlineData("http://127.0.0.2:9/x", "127.0.0.2 is loopback")]
    [InlineData("http://localhost:9/x", "is loopback")]
    [InlineData("http://0.0.0.0:9/x", "is unspecified")]
    public async Task Webhook_ToARefusedAddress_FailsTheStageNamingTheRule(string url, string expected)
    {
        var error = await RunWebhookAsync($"refused-{Math.Abs(url.GetHashCode())}", url);

        Assert.Contains("refused", error);
        Assert.Contains(expected, error);
        Assert.Contains("Delivery:Http:", error);
    }

    [Fact]
    public async Task Webhook_RedirectedToLoopback_IsRefusedAtTheRedirectHop()
    {
        using var target = new FakeHttpServer(_ => FakeResponse.Json(200, new JsonObject { ["secret"] = "internal" }));
        var redirectTo = $"http://localhost:{target.BaseAddress.Port}/secret";
        using var server = new FakeHttpServer(_ => new FakeResponse(302, "", new Dictionary<string, string> { ["Location"] = redirectTo }));

        var error = await RunWebhookAsync("redirect-to-loopback", server.Url("go").ToString());

        Assert.Contains("'localhost' refused", error);
        Assert.Empty(target.Requests);
    }

    [Fact]
    public async Task Webhook_ToAnAllowedStub_Works()
    {
        using var server = new FakeHttpServer(_ => FakeResponse.Json(200, new JsonObject { ["ok"] = true }));
        await _factory.CreateDeliveryClient().SaveStagesAsync("allowed-stub", Webhook(server.Url("hook").ToString()));
        var client = _factory.CreateDeliveryClient();

        var execution = await client.WaitForAsync(await client.TriggerAsync("test", "allowed-stub"), e => Status(e) is not ("RUNNING" or "NOT_STARTED"));

        Assert.Equal("SUCCEEDED", Status(execution));
        Assert.Single(server.Requests);
    }

    [Fact]
    public void Policy_ChecksResolvedAddresses_AndItsAllowances()
    {
        static OutboundHttpPolicy Policy(OutboundHttpOptions o) => new(Options.Create(o));
        var strict = Policy(new OutboundHttpOptions { AllowPrivateNetworks = false });
        var loopbackAllowed = Policy(new OutboundHttpOptions { AllowLoopback = true });
        var cidr = Policy(new OutboundHttpOptions { AllowedHosts = ["169.254.10.0/24", "*.corp.example"] });

        Assert.NotNull(strict.Check("evil.example", IPAddress.Parse("127.0.0.1")));
        Assert.NotNull(strict.Check("evil.example", IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.NotNull(strict.Check("evil.example", IPAddress.Parse("fe80::1")));
        Assert.NotNull(strict.Check("evil.example", IPAddress.Parse("fd00:ec2::254")));
        Assert.Contains("AllowPrivateNetworks", strict.Check("jenkins", IPAddress.Parse("10.1.2.3")));
        Assert.Null(strict.Check("example.org", IPAddress.Parse("93.184.216.34")));
        Assert.Null(loopbackAllowed.Check("localhost", IPAddress.Parse("127.0.0.1")));
        Assert.NotNull(loopbackAllowed.Check("x", IPAddress.Parse("169.254.169.254")));
        Assert.Null(new OutboundHttpPolicy(Options.Create(new OutboundHttpOptions())).Check("jenkins", IPAddress.Parse("10.1.2.3")));
        Assert.Null(cidr.Check("x", IPAddress.Parse("169.254.10.7")));
        Assert.NotNull(cidr.Check("x", IPAddress.Parse("169.254.169.254")));
        Assert.Null(cidr.Check("ci.corp.example", IPAddress.Parse("127.0.0.1")));
    }

    [Fact]
    public void Options_WithABadNetwork_AreRefusedAtStart()
    {
        using var factory = new StandaloneFactory(null, new Dictionary<string, string?> { ["Delivery:Http:AllowedHosts:0"] = "10.0.0.0/99" });

        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("AllowedHosts", e.ToString());
    }

    private static JsonObject Webhook(string url) => new()
    {
        ["refId"] = "1",
        ["type"] = "webhook",
        ["name"] = "probe",
        ["url"] = url,
    };

    private async Task<string> RunWebhookAsync(string name, string url)
    {
        var client = _factory.CreateDeliveryClient();
        await client.SaveStagesAsync(name, Webhook(url));
        var execution = await client.WaitForAsync(await client.TriggerAsync("test", name), e => Status(e) is not ("RUNNING" or "NOT_STARTED"), TimeSpan.FromSeconds(20));
        Assert.Equal("TERMINAL", Status(execution));
        return Stage(execution, "1")["context"]!["exception"]!["details"]!["error"]!.GetValue<string>();
    }
}
