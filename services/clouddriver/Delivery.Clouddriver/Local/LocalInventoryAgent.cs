using Delivery.Clouddriver.Distributed;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// The local cloud's caching agent (Clouddriver's <c>CachingAgent</c>): on the hosting replica, every health probe
/// interval, writes the views again when anything a reader sees may have changed (health, membership, capacity,
/// traffic), and at least every <see cref="DistributedOptions.InventoryRefreshMs"/> so they do not expire.
/// Operations also publish before they report success, so the read API never lags an operation.
/// </summary>
public sealed class LocalInventoryAgent(
    LocalCloud cloud,
    ILocalCloudHosting hosting,
    ILocalInventory inventory,
    IOptions<DistributedOptions> options,
    ILogger<LocalInventoryAgent> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(cloud.Options.HealthProbeIntervalMs));
        var written = -1L;
        var writtenAt = DateTimeOffset.MinValue;
        var wasHost = false;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var isHost = hosting.IsHost;
            var version = cloud.Version;
            var now = DateTimeOffset.UtcNow;
            if (!isHost || (wasHost && version == written && now - writtenAt < TimeSpan.FromMilliseconds(options.Value.InventoryRefreshMs)))
            {
                wasHost = isHost;
                continue;
            }
            try
            {
                await inventory.PublishAsync(stoppingToken);
                written = version;
                writtenAt = now;
                wasHost = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Writing the local cloud's inventory to Redis failed; retrying");
            }
        }
    }
}
