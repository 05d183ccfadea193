using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// Finds RUNNING executions that nothing moves (messages lost with a broker, a bug that forgot a transition) and
/// re-drives or ends them (<see cref="Handlers.ReviveExecutionHandler"/>), counting each in
/// <c>delivery_zombie_sweeps_total</c>. One replica sweeps at a time (a lease); it looks only at executions unsaved for
/// <see cref="OrchestratorOptions.ZombieAgeMs"/>, and each at most once per that time, so a long wait costs one document
/// read and one timer lookup a minute. Spinnaker's counterpart is Orca's <c>ZombieExecutionCheckingAgent</c>.
/// </summary>
public sealed class ZombieSweeper(
    IExecutionStore store,
    ILockStore locks,
    ExecutionEngine engine,
    TimeProvider time,
    IOptions<OrchestratorOptions> options,
    ILogger<ZombieSweeper> logger) : BackgroundService
{
    private const int Batch = 100;
    private const int MaxBatchesPerSweep = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromMilliseconds(options.Value.ZombieSweepMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, stoppingToken);
                await SweepOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Zombie sweep failed; retrying");
            }
        }
    }

    /// <summary>Looks at the executions unsaved for <see cref="OrchestratorOptions.ZombieAgeMs"/>; returns how many, 0 when another replica holds the lease.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var lease = await locks.TryAcquireAsync("zombie-sweep", TimeSpan.FromMilliseconds(Math.Max(settings.ZombieSweepMs, 1_000)));
        if (lease is null)
        {
            return 0;
        }
        var looked = 0;
        for (var batch = 0; batch < MaxBatchesPerSweep; batch++)
        {
            var idle = await store.TakeIdleExecutionsAsync(time.NowMs() - settings.ZombieAgeMs, Batch);
            foreach (var id in idle)
            {
                try
                {
                    await engine.ProcessAsync(id, Guid.NewGuid().ToString("N"), new ReviveExecution(id), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not re-drive execution {ExecutionId}; the next sweep tries again", id);
                }
            }
            looked += idle.Count;
            if (idle.Count < Batch)
            {
                break;
            }
        }
        return looked;
    }
}
