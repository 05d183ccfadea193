using System.Text.Json;
using Delivery.Contracts.Clouddriver;
using Delivery.ServiceDefaults;
using StackExchange.Redis;

namespace Delivery.Clouddriver.Operations;

/// <summary>
/// Operation results and claims in Redis, shared by clouddriver replicas: a result is one expiring string
/// (<see cref="ClouddriverRedisKeys.Operation"/>), a claim one string holding its replica's id with a lease
/// (<see cref="ClouddriverRedisKeys.OperationClaim"/>). Each step is one Lua script, so checking the result and
/// claiming, or storing the result and ending the claim, cannot interleave with another replica's.
/// </summary>
public sealed class RedisOperationLog(IConnectionMultiplexer redis, ClouddriverRedisKeys keys) : IOperationLog
{
    private const string ClaimScript = """
        local done = redis.call('GET', KEYS[1])
        if done then return {'done', done} end
        if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'claimed', ''} end
        local holder = redis.call('GET', KEYS[2])
        if holder == ARGV[1] then
          redis.call('PEXPIRE', KEYS[2], ARGV[2])
          return {'claimed', ''}
        end
        return {'held', holder or ''}
        """;

    private const string RenewScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

    private const string SaveScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
        if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
        return redis.call('GET', KEYS[1])
        """;

    public async Task<OperationCompleted?> FindAsync(string operationId, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(keys.Operation(operationId));
        return value.IsNullOrEmpty ? null : Deserialize(value!);
    }

    public async Task<OperationClaim> ClaimAsync(string operationId, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var reply = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ClaimScript,
            [keys.Operation(operationId), keys.OperationClaim(operationId)], [owner, (long)lease.TotalMilliseconds]))!;
        return (string?)reply[0] switch
        {
            "done" => new(false, Deserialize((string)reply[1]!), null),
            "claimed" => new(true, null, null),
            _ => new(false, null, (string?)reply[1]),
        };
    }

    public async Task<bool> RenewAsync(string operationId, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(RenewScript, [keys.OperationClaim(operationId)], [owner, (long)lease.TotalMilliseconds]) == 1;

    public async Task<OperationCompleted> SaveAsync(OperationCompleted completed, string owner, TimeSpan retention, CancellationToken cancellationToken)
    {
        var stored = await redis.GetDatabase().ScriptEvaluateAsync(SaveScript, [keys.Operation(completed.OperationId), keys.OperationClaim(completed.OperationId)],
            [JsonSerializer.Serialize(completed, JsonDefaults.Options), (long)retention.TotalMilliseconds, owner]);
        return Deserialize((string)stored!);
    }

    private static OperationCompleted Deserialize(string json) => JsonSerializer.Deserialize<OperationCompleted>(json, JsonDefaults.Options)!;
}
