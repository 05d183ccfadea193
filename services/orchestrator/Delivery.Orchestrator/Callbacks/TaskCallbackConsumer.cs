using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Messages;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Delivery.Orchestrator.Callbacks;

/// <summary>
/// Turns a reply registered with <c>AddTaskCallback&lt;TReply&gt;</c> into <see cref="DeliverTaskCallback"/> for the
/// execution it names, applied at once (the reply's message id makes a redelivered reply a no-op). A reply for an
/// execution that does not exist is logged by the engine and dropped.
/// </summary>
public sealed class TaskCallbackConsumer<TReply>(TaskCallbackRegistration<TReply> registration, ExecutionEngine engine, ILogger<TaskCallbackConsumer<TReply>> logger)
    : IConsumer<TReply> where TReply : class
{
    public async Task Consume(ConsumeContext<TReply> context)
    {
        TaskCallbackTarget? target;
        string payload;
        try
        {
            target = registration.TargetOf(context.Message);
            payload = target is null ? "" : registration.PayloadOf(context.Message)?.ToJsonString() ?? "null";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The plug-in's mapping fails the same way every time: retrying would not help.
            logger.LogWarning(e, "Dropped a {Reply}: its callback mapping threw", typeof(TReply).Name);
            return;
        }
        if (target is null)
        {
            return;
        }
        if (string.IsNullOrEmpty(target.ExecutionId) || string.IsNullOrEmpty(target.StageId) || string.IsNullOrEmpty(target.TaskId) || target.Key is null)
        {
            logger.LogWarning("Dropped a {Reply}: it names no execution, stage, task or key ({Target})", typeof(TReply).Name, target);
            return;
        }
        var messageId = context.MessageId?.ToString("N") ?? Guid.NewGuid().ToString("N");
        await engine.ProcessAsync(target.ExecutionId, messageId,
            new DeliverTaskCallback(target.ExecutionId, target.StageId, target.TaskId, target.Key, payload), context.CancellationToken);
    }
}
