using System.Collections.Concurrent;
using System.Diagnostics;
using Delivery.Contracts.Orchestration;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Orchestrator.Tests.TestHost;

/// <summary>
/// Records every execution event the host publishes, on a temporary receive endpoint connected to
/// its running bus (bound to each event's exchange, as any other consumer would be).
/// </summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<IExecutionEvent>> _byExecution = new();
    private HostReceiveEndpointHandle? _handle;

    public static async Task<EventRecorder> StartAsync(IServiceProvider services)
    {
        var recorder = new EventRecorder();
        var bus = services.GetRequiredService<IBus>();
        recorder._handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), DefaultEndpointNameFormatter.Instance, e =>
        {
            recorder.On<ExecutionStarted>(e);
            recorder.On<ExecutionPaused>(e);
            recorder.On<ExecutionResumed>(e);
            recorder.On<ExecutionCompleted>(e);
            recorder.On<StageStarted>(e);
            recorder.On<StageCompleted>(e);
            recorder.On<TaskStarted>(e);
            recorder.On<TaskCompleted>(e);
            recorder.On<JudgmentRequested>(e);
            recorder.On<StageJudged>(e);
        });
        await recorder._handle.Ready;
        return recorder;
    }

    private void On<T>(IReceiveEndpointConfigurator endpoint) where T : class, IExecutionEvent =>
        endpoint.Handler<T>(context =>
        {
            _byExecution.GetOrAdd(context.Message.ExecutionId, _ => new()).Enqueue(context.Message);
            return Task.CompletedTask;
        });

    /// <summary>The execution's events received so far, in the order of their sequence numbers.</summary>
    public IReadOnlyList<IExecutionEvent> For(string executionId) =>
        _byExecution.TryGetValue(executionId, out var events) ? [.. events.OrderBy(e => e.Sequence)] : [];

    /// <summary>Waits until an event of the execution satisfies the condition; fails the test with what arrived otherwise.</summary>
    public async Task<IReadOnlyList<IExecutionEvent>> WaitForAsync(string executionId, Func<IExecutionEvent, bool> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)))
        {
            var events = For(executionId);
            if (events.Any(condition))
            {
                return events;
            }
            await Task.Delay(10);
        }
        Assert.Fail($"Timed out waiting for an event of {executionId}; got {string.Join(", ", For(executionId).Select(e => e.GetType().Name))}");
        return [];
    }

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null)
        {
            await _handle.StopAsync();
        }
    }
}
