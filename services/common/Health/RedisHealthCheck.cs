using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Delivery.ServiceDefaults.Health;

/// <summary>
/// Ready while the shared Redis connection is up and answers PING; a replica that cannot reach its
/// store must leave the balancer's rotation (Kubernetes readiness, compose health) but not be restarted.
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Redis is not connected.");
        }
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis did not answer PING.", e);
        }
    }
}
