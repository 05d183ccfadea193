using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.CanaryJudge.Reports;

/// <summary>Reports in Redis, one key each, expiring after <see cref="CanaryJudgeOptions.ReportRetentionHours"/>.</summary>
public sealed class RedisCanaryReportStore(IConnectionMultiplexer redis, CanaryJudgeRedisKeys keys, IOptions<CanaryJudgeOptions> options) : ICanaryReportStore
{
    public Task SaveAsync(string id, string json) =>
        redis.GetDatabase().StringSetAsync(keys.Report(id), json, TimeSpan.FromHours(options.Value.ReportRetentionHours));

    public async Task<string?> GetAsync(string id)
    {
        var json = await redis.GetDatabase().StringGetAsync(keys.Report(id));
        return json.IsNull ? null : (string?)json;
    }
}
