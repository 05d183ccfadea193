using System.Text.Json.Nodes;
using Delivery.Integration.Tests.Infrastructure;

namespace Delivery.Integration.Tests.Stores;

[Collection(RedisCollection.Name)]
public sealed class ConfigStoreTests(RedisServerFixture redis)
{
    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Pipeline_configs_are_saved_replaced_listed_by_name_and_deleted(string kind)
    {
        var configs = StoreSet.Create(kind, redis).Configs;
        var app = $"app{Guid.NewGuid():N}";
        await configs.SaveAsync(Config(app, "zeta", "1"));
        await configs.SaveAsync(Config(app, "alpha", "2"));
        await configs.SaveAsync(Config($"other{app}", "beta", "3"));
        await configs.SaveAsync(Config(app, "zeta", "4"));

        Assert.Equal(["alpha", "zeta"], (await configs.ListAsync(app)).Select(c => c!["name"]!.GetValue<string>()));
        var zeta = await configs.GetAsync(app, "zeta");
        Assert.Equal("4", zeta!["id"]!.GetValue<string>());
        Assert.Equal("wait", zeta["stages"]![0]!["type"]!.GetValue<string>());
        Assert.Null(await configs.GetAsync(app, "beta"));

        Assert.True(await configs.DeleteAsync(app, "zeta"));
        Assert.False(await configs.DeleteAsync(app, "zeta"));
        Assert.Null(await configs.GetAsync(app, "zeta"));
        Assert.Equal(["alpha"], (await configs.ListAsync(app)).Select(c => c!["name"]!.GetValue<string>()));
        Assert.Empty(await configs.ListAsync($"none{app}"));
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Applications_are_saved_replaced_and_listed_by_name(string kind)
    {
        var applications = StoreSet.Create(kind, redis).Applications;
        await applications.SaveAsync(new JsonObject { ["name"] = "web", ["email"] = "a@example.com" });
        await applications.SaveAsync(new JsonObject { ["name"] = "api", ["email"] = "b@example.com" });
        await applications.SaveAsync(new JsonObject { ["name"] = "web", ["email"] = "c@example.com" });

        Assert.Equal(["api", "web"], (await applications.ListAsync()).Select(a => a["name"]!.GetValue<string>()));
        Assert.Equal("c@example.com", (await applications.GetAsync("web"))!["email"]!.GetValue<string>());
        Assert.Null(await applications.GetAsync("none"));
    }

    private static JsonObject Config(string application, string name, string id) => new()
    {
        ["id"] = id,
        ["application"] = application,
        ["name"] = name,
        ["stages"] = new JsonArray(new JsonObject { ["refId"] = "1", ["type"] = "wait", ["waitTime"] = 1, ["requisiteStageRefIds"] = new JsonArray() }),
    };
}
