using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.CanaryJudge;

/// <summary>The canary judge's Redis keys: all under <c>{Delivery:Store:KeyPrefix}canary-judge:</c>.</summary>
public sealed class CanaryJudgeRedisKeys(IOptions<DeliveryStoreOptions> options)
{
    private readonly string _prefix = options.Value.KeyPrefix + "canary-judge:";

    /// <summary>Hash: config id -> config JSON.</summary>
    public RedisKey Configs => _prefix + "configs";

    /// <summary>String: one judgement report's JSON, expiring after the retention.</summary>
    public RedisKey Report(string id) => $"{_prefix}report:{id}";
}
