using System.Text.Json.Nodes;
using Delivery.Echo.Index;
using Delivery.Echo.Tests.TestHost;
using Delivery.Echo.Triggers.Cron;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Delivery.Echo.Tests.Triggers;

public sealed class CronTriggerTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private sealed class RedisHost(string redis, string prefix) : EchoFactory(new Dictionary<string, string?>
    {
        ["Delivery:Store:Kind"] = "Redis",
        ["Delivery:Store:Redis"] = redis,
        ["Delivery:Store:KeyPrefix"] = prefix,
        // Ticks every two seconds, below the default floor of a minute, so that the test sees several in seconds.
        ["Delivery:Orchestrator:MinCronIntervalSeconds"] = "2",
    });

    [Fact]
    public async Task Two_echo_instances_start_exactly_one_execution_per_tick()
    {
        var prefix = $"cron-{Guid.NewGuid():N}:";
        await using var first = new RedisHost(redis.Configuration, prefix);
        await using var second = new RedisHost(redis.Configuration, prefix);
        var client = first.Client();
        var other = second.Client();
        var app = DeliveryClient.Unique("app");
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "nightly", new JsonObject
        {
            ["type"] = "cron", ["enabled"] = true, ["id"] = "every-2s", ["cronExpression"] = "0/2 * * * * ?", ["timezone"] = "Europe/Paris",
        }));
        Assert.True(await second.Services.GetRequiredService<TriggerIndex>().RefreshAsync());

        await Task.Delay(TimeSpan.FromSeconds(11.5));
        // Stop the ticks (the pipeline is deleted and both indexes follow) before counting.
        Assert.True((await client.Http.DeleteAsync($"/pipelines/{app}/nightly")).IsSuccessStatusCode);
        Assert.True(await first.Services.GetRequiredService<TriggerIndex>().RefreshAsync());
        Assert.True(await second.Services.GetRequiredService<TriggerIndex>().RefreshAsync());
        await Task.Delay(500);

        var ticks = (await other.ExecutionsOfAsync(app)).Select(e => e!["trigger"]!["scheduledTime"]!.GetValue<long>()).Order().ToList();
        Assert.True(ticks.Count >= 5, $"Only {ticks.Count} ticks started an execution.");
        Assert.Equal(ticks.Count, ticks.Distinct().Count());
        Assert.All(ticks.Zip(ticks.Skip(1)), pair => Assert.Equal(2000, pair.Second - pair.First));
        Assert.All(ticks, t => Assert.Equal(0, t % 2000));
    }

    [Fact]
    public void A_tick_missed_while_down_fires_once_when_within_the_grace_window()
    {
        var every5Minutes = CronExpression.Parse("0 0/5 * * * ?");
        var last = new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
        var now = last.AddMinutes(12.5);

        Assert.Equal(last.AddMinutes(10), CronTrigger.MissedTick(every5Minutes, last, now, TimeSpan.FromMinutes(5)));
        Assert.Null(CronTrigger.MissedTick(every5Minutes, last, now, TimeSpan.FromMinutes(1)));
        Assert.Null(CronTrigger.MissedTick(every5Minutes, last.AddMinutes(10), now, TimeSpan.FromMinutes(5)));
    }
}
