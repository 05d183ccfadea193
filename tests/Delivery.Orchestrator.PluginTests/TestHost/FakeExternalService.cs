using Delivery.Orchestrator.TestPlugin;
using MassTransit;

namespace Delivery.Orchestrator.PluginTests.TestHost;

/// <summary>
/// Stands in for another service (clouddriver, canary-judge): consumes <see cref="StartFakeOperation"/> from its own
/// queue and, after the command's delay, publishes the correlated <see cref="FakeOperationCompleted"/> as told.
/// </summary>
public sealed class FakeExternalService : IConsumer<StartFakeOperation>
{
    public const string Queue = "fake-external-service";

    public async Task Consume(ConsumeContext<StartFakeOperation> context)
    {
        var command = context.Message;
        await Task.Delay(command.DelayMs, context.CancellationToken);
        var reply = command.Reply switch
        {
            "none" => null,
            "fail" => new FakeOperationCompleted(command.OperationId, command.ExecutionId, command.StageId, command.TaskId, false, "quota exceeded in fake-region-1", null),
            _ => new FakeOperationCompleted(command.OperationId, command.ExecutionId, command.StageId, command.TaskId, true, null,
                $$"""{"serverGroup": "app-v001", "input": "{{command.Input}}"}"""),
        };
        if (reply is null)
        {
            return;
        }
        // Two publishes are two messages with their own ids: only the callback key tells the second is a duplicate.
        var copies = command.Reply == "twice" ? 2 : 1;
        await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => context.Publish(reply, context.CancellationToken)));
    }
}
