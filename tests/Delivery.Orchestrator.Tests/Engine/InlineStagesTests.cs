using System.Collections.Concurrent;
using Delivery.Contracts;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// A chain continues into its single downstream stage within the same message, so many stages cost
/// one save; but one message never starts more than <see cref="StageTransitions.MaxInlineStages"/>.
/// </summary>
public sealed class InlineStagesTests : IDisposable
{
    private readonly SaveCounter _saves = new(new InMemoryExecutionStore());
    private readonly StandaloneFactory _factory;
    private readonly DeliveryClient _client;

    public InlineStagesTests()
    {
        _factory = new StandaloneFactory(services => services.AddSingleton<IExecutionStore>(_saves));
        _client = _factory.CreateDeliveryClient();
    }

    [Fact]
    public async Task LongChainOfInstantStages_RunsInFewBoundedMessages_InOrder()
    {
        const int length = 40;
        var name = await _client.SaveStagesAsync("long-chain",
            [.. Enumerable.Range(1, length).Select(i => i == 1 ? Wait("1", 0) : Wait($"{i}", 0, $"{i - 1}"))]);

        var id = await _client.TriggerAsync("test", name);
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");

        for (var i = 1; i <= length; i++)
        {
            Assert.Equal("SUCCEEDED", Status(Stage(execution, $"{i}")));
            if (i > 1)
            {
                Assert.True(Time(Stage(execution, $"{i}"), "startTime") >= Time(Stage(execution, $"{i - 1}"), "endTime"));
            }
        }
        // One save per message: at least as many messages as the bound forces, far fewer than one per stage.
        var minimum = (length + StageTransitions.MaxInlineStages - 1) / StageTransitions.MaxInlineStages;
        Assert.InRange(_saves.Of(id), minimum, length / 4);
    }

    public void Dispose() => _factory.Dispose();

    /// <summary>The in-memory store, counting successful saves per execution.</summary>
    private sealed class SaveCounter(InMemoryExecutionStore inner) : IExecutionStore
    {
        private readonly ConcurrentDictionary<string, int> _saves = new();

        public int Of(string executionId) => _saves.GetValueOrDefault(executionId);

        public async Task<bool> TrySaveAsync(PipelineExecution execution, string messageId, string? outbox)
        {
            var saved = await inner.TrySaveAsync(execution, messageId, outbox);
            if (saved)
            {
                _saves.AddOrUpdate(execution.Id, 1, (_, n) => n + 1);
            }
            return saved;
        }

        public Task<PipelineExecution?> GetAsync(string id) => inner.GetAsync(id);

        public Task<string?> GetJsonAsync(string id) => inner.GetJsonAsync(id);

        public Task<(PipelineExecution? Execution, string? PendingOutbox)> LoadForUpdateAsync(string id, string messageId) =>
            inner.LoadForUpdateAsync(id, messageId);

        public Task ClearOutboxAsync(string executionId, string messageId) => inner.ClearOutboxAsync(executionId, messageId);

        public Task<bool> CreateAsync(PipelineExecution execution, string? outbox = null) => inner.CreateAsync(execution, outbox);

        public Task<IReadOnlyList<PendingOutbox>> TakeStaleOutboxesAsync(long savedBeforeMs, int max) => inner.TakeStaleOutboxesAsync(savedBeforeMs, max);
        public Task<IReadOnlyList<string>> TakeIdleExecutionsAsync(long savedBeforeMs, int max) => inner.TakeIdleExecutionsAsync(savedBeforeMs, max);

        public Task<string?> GetOutboxAsync(string executionId, string messageId) => inner.GetOutboxAsync(executionId, messageId);

        public Task<IReadOnlyList<PipelineExecution>> ListByApplicationAsync(string application, int limit, IReadOnlySet<ExecutionStatus>? statuses) =>
            inner.ListByApplicationAsync(application, limit, statuses);

        public Task<IReadOnlyList<PipelineExecution>> ListByPipelineConfigAsync(string pipelineConfigId, int limit, IReadOnlySet<ExecutionStatus>? statuses = null) =>
            inner.ListByPipelineConfigAsync(pipelineConfigId, limit, statuses);

        public Task TrimAsync(string application, string pipelineConfigId, int keep, long completedBeforeMs) =>
            inner.TrimAsync(application, pipelineConfigId, keep, completedBeforeMs);
    }
}
