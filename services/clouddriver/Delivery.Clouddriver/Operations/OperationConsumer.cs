using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Local;
using Delivery.Contracts.Clouddriver;
using MassTransit;

namespace Delivery.Clouddriver.Operations;

/// <summary>
/// Runs an operation command from the bus and publishes its <see cref="OperationCompleted"/> (also for a redelivered one).
/// A command for a local account that reaches a replica not hosting the local cloud is forwarded, unchanged, to the local
/// operations queue, which only the host consumes (<see cref="LocalOperationsEndpoint"/>).
/// </summary>
public sealed class OperationConsumer<T>(OperationRunner runner, AccountRegistry accounts, ILocalCloudHosting hosting) : IConsumer<T>
    where T : class, IClouddriverOperation
{
    public async Task Consume(ConsumeContext<T> context)
    {
        if (LocalRouting.RunsElsewhere(context.Message, accounts, hosting))
        {
            var host = await context.GetSendEndpoint(new Uri($"queue:{ClouddriverExtensions.LocalQueue}"));
            await host.Send(context.Message, context.CancellationToken);
            return;
        }
        var completed = await runner.RunAsync(context.Message, context.CancellationToken);
        await context.Publish(completed, context.CancellationToken);
    }
}
