using System.Text.Json.Nodes;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Telemetry;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Timers;

/// <summary>
/// Publishes timers when they fall due. It sleeps until the next due time it knows of (its own
/// schedules wake it at once) and polls the store for timers of other replicas, such as those of
/// a replica that died.
/// </summary>
public sealed class TimerDispatcher(
    ITimerStore timers,
    IBus bus,
    TimeProvider time,
    EngineMetrics metrics,
    IOptions<OrchestratorOptions> options,
    ILogger<TimerDispatcher> logger) : BackgroundService
{
    private const int Batch = 256;
    private readonly SemaphoreSlim _wake = new(0);
    private long _sleepingUntil = long.MaxValue;

    /// <summary>Tells the dispatcher about a timer due at <paramref name="dueMs"/>.</summary>
    public void Wake(long dueMs)
    {
        if (dueMs < Interlocked.Read(ref _sleepingUntil) && _wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = options.Value.TimerPollMs;
        while (!stoppingToken.IsCancellationRequested)
        {
            long sleep;
            try
            {
                var now = time.NowMs();
                var claimed = await timers.ClaimDueAsync(now, Batch, options.Value.TimerLeaseMs);
                foreach (var timer in claimed)
                {
                    object message;
                    try
                    {
                        message = MessageCodec.Decode(JsonNode.Parse(timer.Payload)!);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // Written by a version that knew other messages: set aside alone (logged with its payload), so its batch goes on.
                        logger.LogError(e, "Dropped timer {Key}, which cannot be decoded: {Payload}", timer.Key, timer.Payload);
                        await timers.AckAsync(timer);
                        continue;
                    }
                    await bus.Publish(message, message.GetType(), stoppingToken);
                    metrics.TimerFired(timer.DueMs, time.NowMs());
                    await timers.AckAsync(timer);
                }
                if (claimed.Count == Batch)
                {
                    continue;
                }
                var next = await timers.NextDueAsync();
                sleep = Math.Clamp((next ?? long.MaxValue) - time.NowMs(), 0, poll);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Timer dispatch failed; retrying");
                sleep = 500;
            }
            Interlocked.Exchange(ref _sleepingUntil, time.NowMs() + sleep);
            try
            {
                if (sleep > 0)
                {
                    await _wake.WaitAsync(TimeSpan.FromMilliseconds(sleep), stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Interlocked.Exchange(ref _sleepingUntil, long.MaxValue);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
