using Delivery.Clouddriver.Naming;
using Delivery.Clouddriver.Operations;
using Delivery.Clouddriver.Tests.TestHost;
using Delivery.Contracts.Clouddriver;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Tests.Naming;

/// <summary>The Redis stores against a real redis-server started on a private loopback port.</summary>
public sealed class RedisStoresTests(RedisServer server) : IClassFixture<RedisServer>
{
    private readonly StackExchange.Redis.ConnectionMultiplexer _redis = server.Connection;

    private static ClouddriverRedisKeys Keys(string prefix) => RedisServer.Keys(prefix);

    private static RedisSequenceStore Sequences(StackExchange.Redis.IConnectionMultiplexer redis) => new(redis, Keys("delivery:"), Options.Create(new ClouddriverOptions()));

    [Fact]
    public async Task Sequences_are_shared_by_replicas_never_repeat_and_live_under_the_clouddriver_prefix()
    {
        var replicaA = Sequences(_redis);
        var replicaB = Sequences(_redis);
        var handedOut = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? replicaA : replicaB).NextAsync("local", "app-prod", default)));
        Assert.Equal(Enumerable.Range(0, 40), handedOut.Order());
        Assert.Equal(0, await replicaA.NextAsync("local", "app-test", default));
        Assert.Equal("40", (string?)await _redis.GetDatabase().StringGetAsync("delivery:clouddriver:sequence:{local:app-prod}"));
    }

    [Fact]
    public async Task Operation_results_are_found_by_id_until_they_expire()
    {
        var log = new RedisOperationLog(_redis, Keys("delivery:"));
        var completed = new OperationCompleted("op-1", "exec", "stage", "task", true, null, """{"serverGroupName":"app-v000"}""");
        Assert.Null(await log.FindAsync("op-1", default));
        Assert.Equal(completed, await log.SaveAsync(completed, "replica-a", TimeSpan.FromMinutes(5), default));
        Assert.Equal(completed, await log.FindAsync("op-1", default));
        var ttl = await _redis.GetDatabase().KeyTimeToLiveAsync("delivery:clouddriver:operation:{op-1}");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task A_reserved_sequence_is_the_same_for_every_run_of_an_operation_and_never_handed_out_again()
    {
        var sequences = Sequences(_redis);
        var first = await sequences.ReserveAsync("local", "res-prod", "op-a", default);
        Assert.Equal(first, await sequences.ReserveAsync("local", "res-prod", "op-a", default));
        Assert.Equal(first + 1, await sequences.ReserveAsync("local", "res-prod", "op-b", default));
        Assert.Equal(first + 2, await sequences.NextAsync("local", "res-prod", default));
    }
}
