using Delivery.Contracts.Orchestration;
using MassTransit;

namespace Delivery.Gate.Events;

/// <summary>
/// Takes every execution event into this gate's <see cref="EventHub"/>. Registered as a fan-out
/// consumer: each gate process has its own endpoint and sees every event.
/// </summary>
public sealed class ExecutionEventConsumer(EventHub hub) :
    IConsumer<ExecutionStarted>, IConsumer<ExecutionPaused>, IConsumer<ExecutionResumed>, IConsumer<ExecutionCompleted>,
    IConsumer<StageStarted>, IConsumer<StageCompleted>, IConsumer<TaskStarted>, IConsumer<TaskCompleted>,
    IConsumer<JudgmentRequested>, IConsumer<StageJudged>
{
    public Task Consume(ConsumeContext<ExecutionStarted> context) => Take(context.Message);

    public Task Consume(ConsumeContext<ExecutionPaused> context) => Take(context.Message);

    public Task Consume(ConsumeContext<ExecutionResumed> context) => Take(context.Message);

    public Task Consume(ConsumeContext<ExecutionCompleted> context) => Take(context.Message);

    public Task Consume(ConsumeContext<StageStarted> context) => Take(context.Message);

    public Task Consume(ConsumeContext<StageCompleted> context) => Take(context.Message);

    public Task Consume(ConsumeContext<TaskStarted> context) => Take(context.Message);

    public Task Consume(ConsumeContext<TaskCompleted> context) => Take(context.Message);

    public Task Consume(ConsumeContext<JudgmentRequested> context) => Take(context.Message);

    public Task Consume(ConsumeContext<StageJudged> context) => Take(context.Message);

    private Task Take(IExecutionEvent message)
    {
        hub.Publish(message);
        return Task.CompletedTask;
    }
}
