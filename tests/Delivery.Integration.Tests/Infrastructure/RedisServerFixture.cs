namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>
/// The shared <see cref="RedisServer"/> with an append-only file fsynced on every write, so that the fault tests can
/// kill it and start it again on the same port and data without losing an acknowledged write.
/// </summary>
public sealed class RedisServerFixture() : RedisServer(appendOnly: true);
