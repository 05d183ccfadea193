using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Clouddriver;

/// <summary>
/// Clouddriver's Redis keys: all under <c>{Delivery:Store:KeyPrefix}clouddriver:</c>, apart from every other service's.
/// Keys one script or transaction touches together share a hash tag (<c>{...}</c>), so they stay in one slot of a
/// Redis Cluster: an operation's result and claim (<c>{operationId}</c>), a cluster's sequence and the sequences its
/// operations reserved (<c>{account:cluster}</c>), and the whole inventory cache (<c>{inventory}</c>).
/// </summary>
public sealed class ClouddriverRedisKeys(IOptions<DeliveryStoreOptions> options)
{
    private readonly string _prefix = options.Value.KeyPrefix + "clouddriver:";

    public RedisKey Sequence(string account, string cluster) => $"{_prefix}sequence:{{{account}:{cluster}}}";

    /// <summary>The sequence a createServerGroup operation reserved, so a run taken over after a crash reuses its name.</summary>
    public RedisKey OperationSequence(string account, string cluster, string operationId) => $"{_prefix}operation-sequence:{{{account}:{cluster}}}:{operationId}";

    /// <summary>A finished operation's <see cref="Contracts.Clouddriver.OperationCompleted"/> (string, expiring).</summary>
    public RedisKey Operation(string operationId) => $"{_prefix}operation:{{{operationId}}}";

    /// <summary>The replica running an operation now (string, a lease the runner renews).</summary>
    public RedisKey OperationClaim(string operationId) => $"{_prefix}operation-claim:{{{operationId}}}";

    /// <summary>The replica hosting the local cloud (string, a lease the host renews).</summary>
    public RedisKey LocalHost => $"{_prefix}local:host";

    /// <summary>The cached views of one application in one account (hash: <c>sg:{name}</c> / <c>lb:{name}</c> -> JSON).</summary>
    public RedisKey Inventory(string account, string application) => $"{_prefix}{{inventory}}:{account}:{application}";

    /// <summary>Which <see cref="Inventory"/> hashes exist (set of <c>{account}:{application}</c>).</summary>
    public RedisKey InventoryIndex => $"{_prefix}{{inventory}}-index";
}
