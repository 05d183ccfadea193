using Delivery.Contracts.Orchestration;
using MassTransit;

namespace Delivery.Echo.Index;

/// <summary>
/// Keeps this replica's <see cref="TriggerIndex"/> in step with saved and deleted pipeline configs. A fan-out
/// consumer: every echo replica holds its own index, so each must see every config event, unlike the execution
/// events, of which one replica handles each.
/// </summary>
public sealed class PipelineConfigConsumer(TriggerIndex index) : IConsumer<PipelineConfigSaved>, IConsumer<PipelineConfigDeleted>
{
    public Task Consume(ConsumeContext<PipelineConfigSaved> context) => index.ApplyAsync(context.Message);

    public Task Consume(ConsumeContext<PipelineConfigDeleted> context) => index.ApplyAsync(context.Message);
}
