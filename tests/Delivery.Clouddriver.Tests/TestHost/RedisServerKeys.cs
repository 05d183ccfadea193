using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Tests.TestHost;

/// <summary>Clouddriver's key names on the shared <see cref="RedisServer"/>.</summary>
public static class RedisServerKeys
{
    extension(RedisServer)
    {
        /// <summary>Clouddriver's Redis keys under <paramref name="prefix"/>, so tests sharing a server do not meet.</summary>
        public static ClouddriverRedisKeys Keys(string prefix) => new(Options.Create(new DeliveryStoreOptions { KeyPrefix = prefix }));
    }
}
