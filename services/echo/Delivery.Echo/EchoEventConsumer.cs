using Delivery.Contracts.Orchestration;
using Delivery.Echo.Notifications;
using Delivery.Echo.Triggers;
using MassTransit;

namespace Delivery.Echo;

/// <summary>
/// Echo's share of the engine's execution events: pipeline triggers on <see cref="ExecutionCompleted"/>, and
/// notifications. One replica consumes each event (a competing consumer on echo's own queue), and every action
/// is claimed by the event's stable id, so a redelivered event acts once.
/// </summary>
public sealed class EchoEventConsumer(PipelineTriggerHandler pipelineTriggers, NotificationHandler notifications)
    : IConsumer<ExecutionStarted>, IConsumer<ExecutionCompleted>, IConsumer<StageStarted>, IConsumer<StageCompleted>,
      IConsumer<JudgmentRequested>, IConsumer<StageJudged>
{
    public async Task Consume(ConsumeContext<ExecutionCompleted> context)
    {
        await pipelineTriggers.HandleAsync(context.Message, context.CancellationToken);
        await notifications.HandleAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<ExecutionStarted> context) => notifications.HandleAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StageStarted> context) => notifications.HandleAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StageCompleted> context) => notifications.HandleAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<JudgmentRequested> context) => notifications.HandleAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StageJudged> context) => notifications.HandleAsync(context.Message, context.CancellationToken);
}
