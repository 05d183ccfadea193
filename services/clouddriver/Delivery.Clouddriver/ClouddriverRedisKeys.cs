using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Clouddriver;

/// <summary>Clouddriver's Redis keys: all under <c>{Delivery:Store:KeyPrefix}clouddriver:</c>, apart from every other service's.</summary>
public sealed class ClouddriverRedisKeys(IOptions<DeliveryStoreOptions> options)
{
    private readonly string _prefix = options.Value.KeyPrefix + "clouddriver:";

    public RedisKey Sequence(string account, string cluster) => $"{_prefix}sequence:{account}:{cluster}";

    public RedisKey Operation(string operationId) => $"{_prefix}operation:{operationId}";
}
