using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// Executions of a <c>limitConcurrent</c> pipeline that start at the same moment: the look at the
/// other executions is made slow here, so that without a lock both would see none running.
/// </summary>
public sealed class ConcurrentStartTests
{
    [Fact]
    public async Task TriggersArrivingTogether_StartOnlyOneExecution()
    {
        using var factory = new StandaloneFactory(services =>
        {
            services.AddSingleton<InMemoryExecutionStore>();
            services.AddSingleton<IExecutionStore>(sp => new SlowListingStore(sp.GetRequiredService<InMemoryExecutionStore>()));
        });
        var client = factory.CreateDeliveryClient();
        await client.SavePipelineAsync(new JsonObject
        {
            ["application"] = "test",
            ["name"] = "burst",
            ["limitConcurrent"] = true,
            ["keepWaitingPipelines"] = true,
            ["stages"] = new JsonArray(new JsonObject { ["refId"] = "1", ["type"] = "manualJudgment" }),
        });

        var ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.TriggerAsync("test", "burst")));
        await Task.Delay(1_000);

        var statuses = await Task.WhenAll(ids.Select(async id => Status(await client.GetExecutionAsync(id))));
        Assert.Equal(1, statuses.Count(s => s == "RUNNING"));
        Assert.Equal(3, statuses.Count(s => s == "NOT_STARTED"));
    }

    private sealed class SlowListingStore(IExecutionStore inner) : IExecutionStore
    {
        public Task<PipelineExecution?> GetAsync(string id) => inner.GetAsync(id);
        public Task<string?> GetJsonAsync(string id) => inner.GetJsonAsync(id);
        public Task<(PipelineExecution? Execution, string? PendingOutbox)> LoadForUpdateAsync(string id, string messageId) => inner.LoadForUpdateAsync(id, messageId);
        public Task<bool> TrySaveAsync(PipelineExecution execution, string messageId, string? outbox) => inner.TrySaveAsync(execution, messageId, outbox);
        public Task ClearOutboxAsync(string executionId, string messageId) => inner.ClearOutboxAsync(executionId, messageId);
        public Task<bool> CreateAsync(PipelineExecution execution, string? outbox = null) => inner.CreateAsync(execution, outbox);

        public Task<IReadOnlyList<PendingOutbox>> TakeStaleOutboxesAsync(long savedBeforeMs, int max) => inner.TakeStaleOutboxesAsync(savedBeforeMs, max);
        public Task<IReadOnlyList<string>> TakeIdleExecutionsAsync(long savedBeforeMs, int max) => inner.TakeIdleExecutionsAsync(savedBeforeMs, max);

        public Task<string?> GetOutboxAsync(string executionId, string messageId) => inner.GetOutboxAsync(executionId, messageId);
        public Task<IReadOnlyList<PipelineExecution>> ListByApplicationAsync(string application, int limit, IReadOnlySet<ExecutionStatus>? statuses) =>
            inner.ListByApplicationAsync(application, limit, statuses);
        public Task TrimAsync(string application, string pipelineConfigId, int keep, long completedBeforeMs) =>
            inner.TrimAsync(application, pipelineConfigId, keep, completedBeforeMs);

        public async Task<IReadOnlyList<PipelineExecution>> ListByPipelineConfigAsync(string pipelineConfigId, int limit, IReadOnlySet<ExecutionStatus>? statuses = null)
        {
            var list = await inner.ListByPipelineConfigAsync(pipelineConfigId, limit, statuses);
            await Task.Delay(150);
            return list;
        }
    }
}
