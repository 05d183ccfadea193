using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Echo.Index;

/// <summary>
/// Rebuilds the <see cref="TriggerIndex"/> at start and then periodically. Config events keep the index current
/// between rebuilds; the periodic rebuild heals a replica that missed one (config events have no outbox). Until
/// the first rebuild succeeds it retries every second.
/// </summary>
public sealed class TriggerIndexRefresher(TriggerIndex index, IOptions<EchoOptions> options, TimeProvider time, ILogger<TriggerIndexRefresher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var ok = false;
            try
            {
                ok = await index.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Trigger index rebuild failed.");
            }
            var wait = ok || index.IsReady ? TimeSpan.FromSeconds(options.Value.IndexRefreshSeconds) : TimeSpan.FromSeconds(1);
            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
