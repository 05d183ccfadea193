using Delivery.Contracts.Clouddriver;
using MassTransit;

namespace Delivery.Clouddriver.Operations;

/// <summary>Runs an operation command from the bus and publishes its <see cref="OperationCompleted"/> (also for a redelivered one).</summary>
public sealed class OperationConsumer<T>(OperationRunner runner) : IConsumer<T> where T : class, IClouddriverOperation
{
    public async Task Consume(ConsumeContext<T> context)
    {
        var completed = await runner.RunAsync(context.Message, context.CancellationToken);
        await context.Publish(completed, context.CancellationToken);
    }
}
