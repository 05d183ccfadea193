namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>Tests of the Redis stores, in process, against one real redis-server.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis";
}

/// <summary>
/// Tests that run standalone processes over a real RabbitMQ and Redis. They run one after the
/// other: the kill and restart tests need the machine's CPU to themselves to keep to their bounds.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DistributedCollection : ICollectionFixture<RedisServerFixture>, ICollectionFixture<RabbitMqServerFixture>
{
    public const string Name = "distributed";
}

/// <summary>Tests that a real Prometheus scrapes a standalone process.</summary>
[CollectionDefinition(Name)]
public sealed class PrometheusCollection : ICollectionFixture<PrometheusServer>
{
    public const string Name = "prometheus";
}
