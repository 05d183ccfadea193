using System.Net;
using Delivery.Contracts.Api;
using Delivery.Gate.Tests.TestHost;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Gate.Tests.Endpoints;

/// <summary>
/// Reads answered by a direct call when the orchestrator shares gate's process: what gate makes of a
/// handler that fails or does not answer, and that the call really bypasses the bus.
/// </summary>
public sealed class InProcessQueryTests
{
    [Fact]
    public async Task GetExecution_ComesFromTheInProcessHandler()
    {
        await using var factory = new QueryFactory(new ScriptedQuery(_ => Task.FromResult(ApiReply.Ok("{\"id\":\"from-handler\"}"))));

        var body = await (await factory.CreateClient().GetAsync("/pipelines/any")).Content.ReadAsStringAsync();

        Assert.Equal("{\"id\":\"from-handler\"}", body);
    }

    [Fact]
    public async Task GetExecution_WhenTheStoreFails_Is503NamingTheFailure()
    {
        await using var factory = new QueryFactory(new ScriptedQuery(_ => throw new IOException("store unreachable")));

        var response = await factory.CreateClient().GetAsync("/pipelines/any");

        await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "store unreachable");
    }

    [Fact]
    public async Task GetExecution_WhenTheHandlerNeverAnswers_Is504AfterTheGateTimeout()
    {
        await using var factory = new QueryFactory(new ScriptedQuery(ct => Task.Delay(Timeout.Infinite, CancellationToken.None).ContinueWith(_ => ApiReply.Ok("{}"))));

        var response = await factory.CreateClient().GetAsync("/pipelines/any");

        await Problems.AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "1 s");
    }

    private sealed class ScriptedQuery(Func<CancellationToken, Task<ApiReply>> answer) : IApiQueryHandler<GetExecution>
    {
        public Task<ApiReply> AnswerAsync(GetExecution query, CancellationToken cancellationToken) => answer(cancellationToken);
    }

    private sealed class QueryFactory(ScriptedQuery query)
        : GateFactory(new Dictionary<string, string?> { ["Delivery:Gate:RequestTimeoutSeconds"] = "1" },
            services => services.AddScoped<IApiQueryHandler<GetExecution>>(_ => query));
}
