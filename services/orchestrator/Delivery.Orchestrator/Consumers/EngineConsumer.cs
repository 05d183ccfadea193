using Delivery.Orchestrator.Engine;
using MassTransit;

namespace Delivery.Orchestrator.Consumers;

/// <summary>Feeds one engine message type to the engine; answers when the message was sent as a gate request.</summary>
public sealed class EngineConsumer<T>(ExecutionEngine engine) : IConsumer<T> where T : class
{
    public async Task Consume(ConsumeContext<T> context)
    {
        var messageId = context.MessageId?.ToString("N") ?? Guid.NewGuid().ToString("N");
        var response = await engine.ProcessAsync(EngineHandlers.ExecutionIdOf(context.Message), messageId, context.Message, context.CancellationToken);
        if (context.RequestId is not null && response is not null)
        {
            await context.RespondAsync(response);
        }
    }
}
