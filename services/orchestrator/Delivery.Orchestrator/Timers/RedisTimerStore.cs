using System.Globalization;
using Delivery.Orchestrator.Persistence;
using StackExchange.Redis;

namespace Delivery.Orchestrator.Timers;

/// <summary>
/// Timers in Redis: a sorted set of keys by due time and a hash of payloads. Claiming moves a due
/// timer's score forward by the lease inside one Lua script, so two replicas never both take it
/// and a replica that dies holding it only delays it by the lease.
/// </summary>
public sealed class RedisTimerStore(IConnectionMultiplexer redis, RedisKeys keys) : ITimerStore
{
    private const string ScheduleScript = """
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        return 1
        """;

    private const string ClaimScript = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, ARGV[2])
        local out = {}
        for i = 1, #due, 2 do
          local key = due[i]
          local payload = redis.call('HGET', KEYS[2], key)
          if payload then
            redis.call('ZADD', KEYS[1], ARGV[3], key)
            table.insert(out, key)
            table.insert(out, payload)
            table.insert(out, due[i + 1])
          else
            redis.call('ZREM', KEYS[1], key)
          end
        end
        return out
        """;

    private const string AckScript = """
        local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if score and tonumber(score) == tonumber(ARGV[2]) then
          redis.call('ZREM', KEYS[1], ARGV[1])
          redis.call('HDEL', KEYS[2], ARGV[1])
          return 1
        end
        return 0
        """;

    private IDatabase Db => redis.GetDatabase();

    public Task ScheduleAsync(string key, string payload, long dueMs) =>
        Db.ScriptEvaluateAsync(ScheduleScript, [keys.Timers, keys.TimerPayloads], [key, payload, dueMs]);

    public async Task<IReadOnlyList<ClaimedTimer>> ClaimDueAsync(long nowMs, int max, long leaseMs)
    {
        var until = nowMs + leaseMs;
        var result = (RedisValue[]?)await Db.ScriptEvaluateAsync(ClaimScript, [keys.Timers, keys.TimerPayloads], [nowMs, max, until]) ?? [];
        var claimed = new List<ClaimedTimer>(result.Length / 3);
        for (var i = 0; i + 2 < result.Length; i += 3)
        {
            claimed.Add(new ClaimedTimer(result[i]!, result[i + 1]!, until, (long)double.Parse((string)result[i + 2]!, CultureInfo.InvariantCulture)));
        }
        return claimed;
    }

    public Task AckAsync(ClaimedTimer timer) =>
        Db.ScriptEvaluateAsync(AckScript, [keys.Timers, keys.TimerPayloads], [timer.Key, timer.ClaimedUntil.ToString(CultureInfo.InvariantCulture)]);

    public async Task<bool> ExistsAsync(string key) => (await Db.SortedSetScoreAsync(keys.Timers, key)).HasValue;

    public Task CancelAsync(string key)
    {
        var db = Db;
        // The set first: a payload without its entry is never claimed, an entry without its payload is dropped when claimed.
        return Task.WhenAll(db.SortedSetRemoveAsync(keys.Timers, key), db.HashDeleteAsync(keys.TimerPayloads, key));
    }

    public async Task<long?> NextDueAsync()
    {
        var first = await Db.SortedSetRangeByRankWithScoresAsync(keys.Timers, 0, 0);
        return first.Length == 0 ? null : (long)first[0].Score;
    }
}
