using System.Diagnostics;
using Delivery.Orchestrator.Engine;
using Delivery.ServiceDefaults.Telemetry;
using MassTransit;

namespace Delivery.Orchestrator.Consumers;

/// <summary>Feeds one engine message type to the engine; answers when the message was sent as a gate request.</summary>
public sealed class EngineConsumer<T>(ExecutionEngine engine) : IConsumer<T> where T : class
{
    public async Task Consume(ConsumeContext<T> context)
    {
        var messageId = context.MessageId?.ToString("N") ?? Guid.NewGuid().ToString("N");
        var executionId = EngineHandlers.ExecutionIdOf(context.Message);
        // MassTransit's consume span is current here, so a trace from gate shows which execution the engine worked on.
        DeliveryTelemetry.TagExecution(Activity.Current, executionId);
        var response = await engine.ProcessAsync(executionId, messageId, context.Message, context.CancellationToken);
        if (context.RequestId is not null && response is not null)
        {
            await context.RespondAsync(response);
        }
    }
}
