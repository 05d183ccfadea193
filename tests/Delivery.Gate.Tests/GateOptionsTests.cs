using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;
using Delivery.Orchestrator.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Gate.Tests;

/// <summary>A host with small gate limits, and an application store that answers slowly for one name.</summary>
public sealed class TightLimitsGateFactory() : GateFactory(
    new Dictionary<string, string?>
    {
        ["Delivery:Gate:MaxBodyBytes"] = TightLimitsGateFactory.MaxBodyBytes.ToString(CultureInfo.InvariantCulture),
        ["Delivery:Gate:RequestTimeoutSeconds"] = "1",
    },
    services => services.AddSingleton<IApplicationStore>(new SlowApplicationStore(new InMemoryApplicationStore())))
{
    public const int MaxBodyBytes = 2_048;

    /// <summary>The application whose lookup takes longer than gate waits.</summary>
    public const string SlowApplication = "slow-app";

    private sealed class SlowApplicationStore(IApplicationStore inner) : IApplicationStore
    {
        public Task<IReadOnlyList<JsonObject>> ListAsync() => inner.ListAsync();

        public async Task<JsonObject?> GetAsync(string name)
        {
            if (name == SlowApplication)
            {
                await Task.Delay(TimeSpan.FromSeconds(2.5));
            }
            return await inner.GetAsync(name);
        }

        public Task SaveAsync(JsonObject application) => inner.SaveAsync(application);
    }
}

/// <summary>The settings under <c>Delivery:Gate</c> take effect.</summary>
public sealed class GateOptionsTests(TightLimitsGateFactory factory) : IClassFixture<TightLimitsGateFactory>
{
    private readonly GateClient _client = factory.CreateGateClient();

    private static string PipelineOfSize(string app, int bytes)
    {
        var pipeline = new JsonObject { ["application"] = app, ["name"] = "sized", ["description"] = "", ["stages"] = new JsonArray() };
        var padding = bytes - Encoding.UTF8.GetByteCount(pipeline.ToJsonString());
        pipeline["description"] = new string('x', padding);
        var json = pipeline.ToJsonString();
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(json));
        return json;
    }

    [Fact]
    public async Task MaxBodyBytes_ABodyOneByteOver_Returns413NamingTheConfiguredLimit()
    {
        var response = await _client.SendAsync(HttpMethod.Post, "/pipelines", PipelineOfSize(GateClient.Unique("limit"), TightLimitsGateFactory.MaxBodyBytes + 1));

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, $"{TightLimitsGateFactory.MaxBodyBytes} bytes");
    }

    [Fact]
    public async Task MaxBodyBytes_ABodyOfExactlyTheLimit_IsAccepted()
    {
        var app = GateClient.Unique("limit");

        var response = await _client.SendAsync(HttpMethod.Post, "/pipelines", PipelineOfSize(app, TightLimitsGateFactory.MaxBodyBytes));

        Assert.Equal(app, (await GateClient.OkJsonAsync(response))["application"]!.GetValue<string>());
    }

    [Fact]
    public async Task MaxBodyBytes_AppliesToTriggersAndStageUpdatesToo()
    {
        var big = new JsonObject { ["parameters"] = new JsonObject { ["blob"] = new string('x', TightLimitsGateFactory.MaxBodyBytes) } };

        var trigger = await _client.PostAsync("/pipelines/any/thing", big);
        var patch = await _client.PatchAsync("/pipelines/any/stages/thing", big);

        await Problems.AssertProblemAsync(trigger, HttpStatusCode.RequestEntityTooLarge, "larger than");
        await Problems.AssertProblemAsync(patch, HttpStatusCode.RequestEntityTooLarge, "larger than");
    }

    [Fact]
    public async Task RequestTimeoutSeconds_AnOrchestratorThatDoesNotAnswerInTime_Returns504ProblemSayingSo()
    {
        var response = await _client.Http.GetAsync($"/applications/{TightLimitsGateFactory.SlowApplication}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "did not answer within 1 s");
        await Problems.AssertProblemAsync(await _client.Http.GetAsync("/applications/fast-app"), HttpStatusCode.NotFound, "fast-app");
    }
}
