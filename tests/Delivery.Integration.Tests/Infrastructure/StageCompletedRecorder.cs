using System.Collections.Concurrent;
using System.Diagnostics;
using Delivery.Contracts.Orchestration;
using Delivery.ServiceDefaults;
using MassTransit;

namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>
/// A MassTransit bus in the test process with its own queue bound to the <c>StageCompleted</c>
/// event exchange: it sees every StageCompleted any process publishes, redelivered copies
/// included, across RabbitMQ restarts.
/// </summary>
public sealed class StageCompletedRecorder : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<StageCompleted>> _byExecution = new();
    private IBusControl? _bus;

    public static async Task<StageCompletedRecorder> StartAsync(int port, string virtualHost)
    {
        var recorder = new StageCompletedRecorder();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host("127.0.0.1", (ushort)port, virtualHost, h =>
            {
                h.Username("guest");
                h.Password("guest");
            });
            cfg.ConfigureJsonSerializerOptions(o => JsonDefaults.Configure(o));
            cfg.ReceiveEndpoint($"integration-tests-stage-completed-{Guid.NewGuid():N}", e =>
            {
                // Durable, so that a RabbitMQ restart keeps the queue and the events in it: a transient
                // queue would be recreated on reconnect, losing what was published in between. It stays,
                // idle, in the cluster's own virtual host after the test.
                e.AutoDelete = false;
                e.Durable = true;
                e.Handler<StageCompleted>(context =>
                {
                    recorder._byExecution.GetOrAdd(context.Message.ExecutionId, _ => new()).Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var handle = await bus.StartAsync(cts.Token);
        await handle.Ready;
        recorder._bus = bus;
        return recorder;
    }

    /// <summary>Publishes a message on the cluster's bus, as a replica would.</summary>
    public Task PublishAsync(object message) =>
        (_bus ?? throw new InvalidOperationException("The bus is not started.")).Publish(message, message.GetType());

    /// <summary>Every StageCompleted received for the execution, in arrival order.</summary>
    public IReadOnlyList<StageCompleted> For(string executionId) =>
        _byExecution.TryGetValue(executionId, out var events) ? [.. events] : [];

    /// <summary>How many distinct stages of the execution have been reported complete.</summary>
    public int DistinctStages(string executionId) => For(executionId).Select(e => e.StageId).Distinct().Count();

    /// <summary>Waits until <paramref name="count"/> distinct stages of the execution were reported; false on timeout.</summary>
    public async Task<bool> WaitForStagesAsync(string executionId, int count, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (DistinctStages(executionId) < count)
        {
            if (watch.Elapsed > timeout)
            {
                return false;
            }
            await Task.Delay(2);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _bus.StopAsync(cts.Token);
        }
    }
}
