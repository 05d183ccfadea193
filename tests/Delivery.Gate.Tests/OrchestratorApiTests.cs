using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Gate.Tests.TestHost;
using Delivery.Orchestrator.Persistence;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Gate.Tests;

/// <summary>
/// The orchestrator's request consumers behind gate answer bad input themselves too, for senders
/// that reach them without going through gate's checks (another service on the bus, a config
/// stored by an older version).
/// </summary>
public sealed class OrchestratorApiTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private readonly GateClient _client = factory.CreateGateClient();

    private async Task<ApiReply> AskAsync<T>(T request) where T : class
    {
        using var scope = factory.Services.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<IRequestClient<T>>();
        var response = await client.GetResponse<ApiReply>(request, timeout: RequestTimeout.After(s: 5));
        return response.Message;
    }

    private static string NestedObject(int depth) =>
        new StringBuilder().Insert(0, "{\"a\":", depth).Append('1').Append('}', depth).ToString();

    [Theory]
    [InlineData("{\"application\":\"a\",\"name\":\"p\",\"name\":\"q\"}", "'name'")]
    [InlineData("{\"application\":42,\"name\":\"p\"}", "'application'")]
    [InlineData("{\"application\":\"a\",\"name\":{\"n\":1}}", "'name'")]
    [InlineData("{\"application\":\"a\",\"name\":\"p\",\"parameterConfig\":[\"env\"]}", "parameterConfig[0]")]
    [InlineData("{\"application\":\"a\",\"name\":\"p\",\"stages\":[{\"refId\":\"1\",\"type\":\"manualJudgment\",\"judgmentInputs\":[[1]]}]}", "judgmentInputs[0]")]
    public async Task SavePipelineConfig_WithBadInput_Answers400NamingTheField(string json, string mention)
    {
        var response = await AskAsync(new SavePipelineConfig(json));

        Assert.Equal(ApiOutcome.Invalid, response.Outcome);
        Assert.Contains(mention, response.Detail);
    }

    [Fact]
    public async Task SavePipelineConfig_NestedTenThousandLevels_Answers400AboutTheDepth()
    {
        var response = await AskAsync(new SavePipelineConfig(NestedObject(10_000)));

        Assert.Equal(ApiOutcome.Invalid, response.Outcome);
        Assert.Contains("depth", response.Detail);
    }

    [Fact]
    public async Task SaveApplication_WithADuplicateProperty_Answers400NamingIt()
    {
        var response = await AskAsync(new SaveApplication("{\"name\":\"a\",\"email\":\"x\",\"email\":\"y\"}"));

        Assert.Equal(ApiOutcome.Invalid, response.Outcome);
        Assert.Contains("'email'", response.Detail);
    }

    [Fact]
    public async Task SaveApplication_WithANameEndingInANewline_Answers400()
    {
        var response = await AskAsync(new SaveApplication("{\"name\":\"shop\\n\"}"));

        Assert.Equal(ApiOutcome.Invalid, response.Outcome);
        Assert.Contains("'name'", response.Detail);
    }

    [Fact]
    public async Task TriggerPipeline_WithADuplicateProperty_Answers400NamingIt()
    {
        var app = GateClient.Unique("bus");
        await _client.SaveStagesAsync(app, "p", GateClient.Wait("1", 0));

        var response = await AskAsync(new TriggerPipeline(app, "p", "{\"user\":\"a\",\"user\":\"b\"}"));

        Assert.Equal(ApiOutcome.Invalid, response.Outcome);
        Assert.Contains("'user'", response.Detail);
    }

    [Fact]
    public async Task Trigger_OfAStoredConfigWithLegacyParameterShapes_ChecksOptionsInsteadOfFailing()
    {
        var app = GateClient.Unique("legacy");
        var store = factory.Services.GetRequiredService<IPipelineConfigStore>();
        await store.SaveAsync(JsonNode.Parse($$"""
            {
              "id": 17, "application": "{{app}}", "name": "legacy",
              "parameterConfig": ["junk", 7, {"name": "region", "hasOptions": true, "options": ["eu", "us"]}],
              "stages": [{"refId": "1", "type": "wait", "name": "w", "waitTime": 0, "requisiteStageRefIds": []}]
            }
            """)!.AsObject());

        var bad = await _client.TriggerRawAsync(app, "legacy", new JsonObject { ["parameters"] = new JsonObject { ["region"] = "mars" } });
        var id = await _client.TriggerAsync(app, "legacy", new JsonObject { ["parameters"] = new JsonObject { ["region"] = "eu" } });

        await Problems.AssertProblemAsync(bad, HttpStatusCode.BadRequest, "'region'", "eu, us", "mars");
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("17", execution["pipelineConfigId"]!.GetValue<string>());
    }
}
