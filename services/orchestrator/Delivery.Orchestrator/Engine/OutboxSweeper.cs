using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// Sends outboxes that nobody sent: a change saved by a replica that died before sending what followed, a gate request
/// applied in-process (never redelivered), a trigger killed between creating its execution and starting it. Every
/// replica sweeps; the store hands an outbox to one sweeper at a time (<see cref="IExecutionStore.TakeStaleOutboxesAsync"/>),
/// and a copy sent by both a sweeper and a slow original sender carries the same message ids, applied once.
/// </summary>
public sealed class OutboxSweeper(
    IExecutionStore store,
    OutboxSender sender,
    TimeProvider time,
    IOptions<OrchestratorOptions> options,
    ILogger<OutboxSweeper> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromMilliseconds(options.Value.OutboxSweepMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SweepOnceAsync(stoppingToken) == Batch)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Outbox sweep failed; retrying");
            }
            try
            {
                await Task.Delay(every, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends the outboxes older than <see cref="OrchestratorOptions.OutboxAgeMs"/>; returns how many it took.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var stale = await store.TakeStaleOutboxesAsync(time.NowMs() - options.Value.OutboxAgeMs, Batch);
        foreach (var (executionId, messageId) in stale)
        {
            if (await store.GetOutboxAsync(executionId, messageId) is not { } outbox)
            {
                // Sent and cleared meanwhile, or its save lost the version check: only the index entry is left.
                await store.ClearOutboxAsync(executionId, messageId);
                continue;
            }
            try
            {
                await sender.SendStoredAsync(executionId, messageId, outbox, cancellationToken);
                logger.LogInformation("Sent the outbox of message {MessageId} on execution {ExecutionId}, left unsent", messageId, executionId);
            }
            catch (System.Text.Json.JsonException e)
            {
                // Written by a version that knew other messages: retrying cannot help, and it must not block the rest.
                logger.LogError(e, "Dropped the outbox of message {MessageId} on execution {ExecutionId}: it cannot be decoded", messageId, executionId);
                await store.ClearOutboxAsync(executionId, messageId);
            }
        }
        return stale.Count;
    }
}
