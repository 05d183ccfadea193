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
                    await PublishWithinLeaseAsync(timer, message, stoppingToken);
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

    /// <summary>
    /// Publishes within one lease (<see cref="OrchestratorOptions.TimerLeaseMs"/>). A publish that outlasts it (a bus stuck
    /// after a broker restart) is given up with a <see cref="TimeoutException"/>: by then the claim has lapsed, another
    /// dispatcher may fire the timer, and waiting on would stall every other timer of this dispatcher with it. The timer
    /// stays in the store and fires on a later claim.
    /// </summary>
    private async Task PublishWithinLeaseAsync(ClaimedTimer timer, object message, CancellationToken stoppingToken)
    {
        using var lease = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        lease.CancelAfter(TimeSpan.FromMilliseconds(options.Value.TimerLeaseMs));
        try
        {
            await bus.Publish(message, message.GetType(), lease.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Publishing timer {timer.Key} took longer than its {options.Value.TimerLeaseMs} ms lease; it fires on a later claim, here or on another replica.");
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
