using System.Collections.Concurrent;
using Delivery.Contracts.Clouddriver;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Clouddriver.Tests.TestHost;

/// <summary>Every <see cref="OperationCompleted"/> seen on the bus, as a stage waiting for its callback would see it.</summary>
public sealed class OperationRecorder
{
    public ConcurrentQueue<OperationCompleted> All { get; } = new();

    public async Task<List<OperationCompleted>> WaitForAsync(string operationId, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var found = All.Where(c => c.OperationId == operationId).ToList();
            if (found.Count >= count)
            {
                return found;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"Timed out waiting for {count} OperationCompleted of {operationId}; saw {All.Count(c => c.OperationId == operationId)}.");
        return [];
    }

    public sealed class Consumer(IServiceProvider services) : IConsumer<OperationCompleted>
    {
        public Task Consume(ConsumeContext<OperationCompleted> context)
        {
            services.GetRequiredService<OperationRecorder>().All.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }
}
