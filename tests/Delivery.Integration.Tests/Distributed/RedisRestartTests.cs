using System.Diagnostics;
using System.Net;
using Delivery.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;
using static Delivery.Integration.Tests.Infrastructure.DeliveryClient;

namespace Delivery.Integration.Tests.Distributed;

[Collection(DistributedCollection.Name)]
public sealed class RedisRestartTests(RedisServerFixture redis, RabbitMqServerFixture rabbit, ITestOutputHelper output)
{
    private const string Application = "it";

    [Fact]
    public async Task Pipelines_waiting_on_timers_and_a_judgment_finish_after_redis_restarts()
    {
        await using var cluster = await DeliveryCluster.StartAsync(redis, rabbit, output);
        var client = cluster.Client(0);
        await client.SaveStagesAsync(Application, "waits",
            Pipelines.Variables("1"), Pipelines.Wait("2", 4, "1"), Pipelines.Wait("3", 2, "1"), Pipelines.Variables("4", "2", "3"));
        await client.SaveStagesAsync(Application, "judged",
            Pipelines.Variables("1"), Pipelines.Judgment("2", "1"), Pipelines.Wait("3", 1, "2"));
        await client.SaveStagesAsync(Application, "quick", Pipelines.QuickChain(6));

        var waiting = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => cluster.Client(i % 2).TriggerAsync(Application, "waits")));
        var judged = await client.TriggerAsync(Application, "judged");
        foreach (var id in waiting)
        {
            await client.WaitForStageStatusAsync(id, "2", "RUNNING", TimeSpan.FromSeconds(20));
        }
        var judgment = Stage(await client.WaitForStageStatusAsync(judged, "2", "RUNNING", TimeSpan.FromSeconds(20)), "2")["id"]!.GetValue<string>();

        try
        {
            // Redis goes away with timers pending and a judgment open; a trigger arrives while it is down.
            var outage = Stopwatch.StartNew();
            await redis.StopAsync();
            var triggeredDuringOutage = cluster.Client(1).TriggerAsync(Application, "quick");
            await Task.Delay(TimeSpan.FromSeconds(1));
            await redis.StartAsync();
            output.WriteLine($"redis was down for {outage.ElapsedMilliseconds} ms");

            await JudgeAsync(cluster.Client(1), judged, judgment);
            var quick = await triggeredDuringOutage;

            foreach (var id in waiting.Append(judged).Append(quick))
            {
                var execution = await client.WaitForStatusAsync(id, "SUCCEEDED", TimeSpan.FromSeconds(60));
                await ExecutionChecks.AssertSucceededOnceAsync(execution, cluster.Events, $"execution {id}");
            }
        }
        catch (Exception e)
        {
            throw new XunitException($"{e.Message}\nprocess warnings and errors:\n{cluster.Problems()}");
        }
    }

    /// <summary>Judges once the orchestrator can reach Redis again (a 5xx or timeout while it reconnects is retried).</summary>
    private static async Task JudgeAsync(DeliveryClient client, string id, string stageId)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            HttpStatusCode status;
            string body;
            try
            {
                (status, body) = await client.JudgeAsync(id, stageId);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                (status, body) = (HttpStatusCode.ServiceUnavailable, e.Message);
            }
            if (status == HttpStatusCode.OK)
            {
                return;
            }
            Assert.True((int)status >= 500 && watch.Elapsed < TimeSpan.FromSeconds(60), $"judging failed with {(int)status}: {body}");
            await Task.Delay(200);
        }
    }
}
