using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Consumers;

/// <summary>Keeps the newest executions of each pipeline config and deletes older completed ones.</summary>
public sealed class RetentionConsumer(IExecutionStore store, IOptions<OrchestratorOptions> options, TimeProvider time) : IConsumer<ExecutionCompleted>
{
    public Task Consume(ConsumeContext<ExecutionCompleted> context) =>
        context.Message.PipelineConfigId is { } configId
            ? store.TrimAsync(context.Message.Application, configId, options.Value.ExecutionsPerPipeline, time.NowMs() - options.Value.RetentionGraceSeconds * 1000L)
            : Task.CompletedTask;
}
