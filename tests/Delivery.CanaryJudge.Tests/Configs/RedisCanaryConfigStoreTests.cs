using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Configs;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Tests.Configs;

public class RedisCanaryConfigStoreTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private readonly CanaryJudgeRedisKeys _keys = new(Options.Create(new DeliveryStoreOptions { KeyPrefix = $"test-{Guid.NewGuid():N}:" }));

    [Fact]
    public async Task Configs_are_created_once_updated_only_when_present_listed_and_deleted()
    {
        var store = new RedisCanaryConfigStore(redis.Connection, _keys);
        var config = new JsonObject { ["id"] = "a", ["name"] = "first" };

        Assert.True(await store.CreateAsync("a", config));
        Assert.False(await store.CreateAsync("a", new JsonObject { ["name"] = "again" }));
        Assert.False(await store.UpdateAsync("b", config));
        Assert.True(await store.UpdateAsync("a", new JsonObject { ["id"] = "a", ["name"] = "second" }));
        Assert.True(await store.CreateAsync("b", new JsonObject { ["id"] = "b" }));

        Assert.Equal("second", (await store.GetAsync("a"))!["name"]!.GetValue<string>());
        Assert.Equal(["a", "b"], (await store.ListAsync()).Select(c => c["id"]!.GetValue<string>()));
        Assert.Equal(2, await store.CountAsync());
        Assert.True(await store.DeleteAsync("a"));
        Assert.False(await store.DeleteAsync("a"));
        Assert.Null(await store.GetAsync("a"));
        Assert.StartsWith("test-", (string?)_keys.Configs);
        Assert.EndsWith(":canary-judge:configs", (string?)_keys.Configs);
    }
}
