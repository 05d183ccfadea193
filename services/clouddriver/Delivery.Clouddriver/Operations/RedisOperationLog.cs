using System.Text.Json;
using Delivery.Contracts.Clouddriver;
using Delivery.ServiceDefaults;
using StackExchange.Redis;

namespace Delivery.Clouddriver.Operations;

/// <summary>Operation results in Redis (one string per operation, expiring), shared by clouddriver replicas.</summary>
public sealed class RedisOperationLog(IConnectionMultiplexer redis, ClouddriverRedisKeys keys) : IOperationLog
{
    public async Task<OperationCompleted?> FindAsync(string operationId, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(keys.Operation(operationId));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<OperationCompleted>((string)value!, JsonDefaults.Options);
    }

    public Task SaveAsync(OperationCompleted completed, TimeSpan retention, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(keys.Operation(completed.OperationId), JsonSerializer.Serialize(completed, JsonDefaults.Options), retention);
}
