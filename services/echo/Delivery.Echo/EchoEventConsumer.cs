using Delivery.Contracts.Orchestration;
using Delivery.Echo.Triggers;
using MassTransit;

namespace Delivery.Echo;

/// <summary>
/// Echo's share of the engine's execution events: pipeline triggers on <see cref="ExecutionCompleted"/>. One
/// replica consumes each event (a competing consumer on echo's own queue), and every action is claimed by the
/// event's stable id, so a redelivered event acts once.
/// </summary>
public sealed class EchoEventConsumer(PipelineTriggerHandler pipelineTriggers) : IConsumer<ExecutionCompleted>
{
    public Task Consume(ConsumeContext<ExecutionCompleted> context) => pipelineTriggers.HandleAsync(context.Message, context.CancellationToken);
}
