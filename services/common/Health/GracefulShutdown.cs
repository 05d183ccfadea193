using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Delivery.ServiceDefaults.Health;

/// <summary>
/// How a replica stops (SIGTERM from Docker or Kubernetes): MassTransit's hosted service stops the bus,
/// which first stops taking messages, then waits for the consumers in flight; whatever is still running
/// when that wait ends is not acknowledged, so RabbitMQ hands it to another replica. The budgets nest
/// inside the 30 s Docker and Kubernetes give before they kill (<c>stop_grace_period</c>,
/// <c>terminationGracePeriodSeconds</c>): consumers 15 s, bus 20 s, the whole host 25 s.
/// A configured <c>shutdownTimeoutSeconds</c> (the host's own key) still wins for the host.
/// </summary>
internal static class GracefulShutdown
{
    public static readonly TimeSpan Consumers = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan Bus = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan Host = TimeSpan.FromSeconds(25);

    public static IHostApplicationBuilder AddGracefulShutdown(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration["shutdownTimeoutSeconds"] is not null;
        builder.Services.Configure<HostOptions>(o =>
        {
            if (!configured)
            {
                o.ShutdownTimeout = Host;
            }
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.StopTimeout = Bus;
            o.ConsumerStopTimeout = Consumers;
        });
        return builder;
    }
}
