using Delivery.Orchestrator.Persistence;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Tests.Persistence;

/// <summary>The keys one save script writes share a Redis Cluster hash slot.</summary>
public sealed class RedisKeysTests
{
    private readonly RedisKeys _keys = new(Options.Create(new DeliveryStoreOptions { KeyPrefix = "delivery:" }));

    /// <summary>Redis Cluster hashes only the text inside the first <c>{...}</c> of a key (the hash tag).</summary>
    private static string HashTag(string key)
    {
        var open = key.IndexOf('{');
        var close = open < 0 ? -1 : key.IndexOf('}', open + 1);
        return close > open + 1 ? key[(open + 1)..close] : key;
    }

    [Fact]
    public void ExecutionAndItsOutboxes_ShareTheExecutionIdAsHashTag()
    {
        const string id = "01JDELIVERYEXECUTION0000001";

        Assert.Equal(id, HashTag(_keys.Execution(id).ToString()));
        Assert.Equal(id, HashTag(_keys.Outbox(id, "message-1").ToString()));
        Assert.Equal(id, HashTag(_keys.Outbox(id, "message-2").ToString()));
        Assert.NotEqual(_keys.Outbox(id, "message-1"), _keys.Outbox(id, "message-2"));
        Assert.StartsWith("delivery:", _keys.Execution(id).ToString());
    }
}
