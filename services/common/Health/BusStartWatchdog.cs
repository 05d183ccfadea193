using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.ServiceDefaults.Health;

/// <summary>
/// Ends the process (exit code 1) when the bus has not started within <see cref="DeliveryBusOptions.StartTimeoutSeconds"/>.
/// MassTransit's RabbitMQ transport keeps retrying a connection it lost, but a bus whose first connection failed (the
/// broker was down or restarting when the replica started) can stay "not started" for good, ready to nobody while its
/// liveness probe still answers; crash-only recovery is the remedy: its supervisor starts a fresh process, which connects.
/// Only the start is watched: once started, outages are the transport's to ride out.
/// </summary>
internal sealed class BusStartWatchdog(
    IBusControl bus, IOptions<DeliveryBusOptions> options, IHostApplicationLifetime lifetime, ILogger<BusStartWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.StartTimeoutSeconds);
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }
        var deadline = DateTime.UtcNow + timeout;
        while (!stoppingToken.IsCancellationRequested)
        {
            var health = bus.CheckHealth();
            if (health.Status == BusHealthStatus.Healthy)
            {
                return;
            }
            if (DateTime.UtcNow >= deadline)
            {
                logger.LogCritical("The message bus did not start within {Timeout} s ({Health}): exiting for the supervisor to start this replica again",
                    timeout.TotalSeconds, health.Description);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
        }
    }
}
