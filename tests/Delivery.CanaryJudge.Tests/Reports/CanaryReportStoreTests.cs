using Delivery.CanaryJudge.Reports;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Tests.Reports;

public class CanaryReportStoreTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private readonly CanaryJudgeRedisKeys _keys = new(Options.Create(new DeliveryStoreOptions { KeyPrefix = $"test-{Guid.NewGuid():N}:" }));

    [Fact]
    public async Task Reports_are_kept_with_an_expiry()
    {
        var store = new RedisCanaryReportStore(redis.Connection, _keys, Options.Create(new CanaryJudgeOptions { ReportRetentionHours = 2 }));

        await store.SaveAsync("r1", "{\"id\":\"r1\"}");

        Assert.Equal("{\"id\":\"r1\"}", await store.GetAsync("r1"));
        Assert.Null(await store.GetAsync("r2"));
        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(_keys.Report("r1"));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task The_in_memory_report_store_drops_the_oldest_beyond_its_bound()
    {
        var store = new InMemoryCanaryReportStore(Options.Create(new CanaryJudgeOptions { MaxReportsInMemory = 2 }));

        await store.SaveAsync("1", "one");
        await store.SaveAsync("2", "two");
        await store.SaveAsync("3", "three");

        Assert.Null(await store.GetAsync("1"));
        Assert.Equal("three", await store.GetAsync("3"));
    }

    [Fact]
    public async Task The_in_memory_report_store_drops_the_oldest_beyond_its_bytes_but_keeps_the_newest()
    {
        var store = new InMemoryCanaryReportStore(Options.Create(new CanaryJudgeOptions { MaxReportBytesInMemory = 10 }));

        await store.SaveAsync("1", "aaaa");
        await store.SaveAsync("2", "bbbb");
        await store.SaveAsync("3", "cccc");

        Assert.Null(await store.GetAsync("1"));
        Assert.Equal("bbbb", await store.GetAsync("2"));
        Assert.Equal("cccc", await store.GetAsync("3"));

        await store.SaveAsync("4", "a report larger than the bound");

        Assert.Null(await store.GetAsync("2"));
        Assert.Null(await store.GetAsync("3"));
        Assert.Equal("a report larger than the bound", await store.GetAsync("4"));
    }
}
