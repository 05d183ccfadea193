using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Integration.Tests.Infrastructure;
using Delivery.ServiceDefaults;
using MassTransit;
using Xunit.Abstractions;
using static Delivery.Integration.Tests.Infrastructure.DeliveryClient;

namespace Delivery.Integration.Tests.Distributed;

/// <summary>
/// RabbitMQ redelivers a message whose consumer died before acknowledging it, with the same
/// MessageId. These tests send a user command twice with one MessageId, which is what a
/// redelivery looks like when the first worker died after its change and outbox had gone out.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class RedeliveryTests(RedisServerFixture redis, RabbitMqServerFixture rabbit, ITestOutputHelper output)
{
    [Fact]
    public async Task A_redelivered_command_is_applied_once_and_answered_alike()
    {
        await using var cluster = await DeliveryCluster.StartAsync(redis, rabbit, output);
        var client = cluster.Client(0);
        await client.SaveStagesAsync("it", "redelivered",
            Pipelines.Variables("1"), Pipelines.Judgment("2", "1"), Pipelines.Variables("3", "2"));
        var id = await client.TriggerAsync("it", "redelivered");
        var judgment = Stage(await client.WaitForStageStatusAsync(id, "2", "RUNNING", TimeSpan.FromSeconds(20)), "2")["id"]!.GetValue<string>();

        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host("127.0.0.1", (ushort)rabbit.Port, cluster.VirtualHost, h =>
            {
                h.Username("guest");
                h.Password("guest");
            });
            cfg.ConfigureJsonSerializerOptions(o => JsonDefaults.Configure(o));
        });
        await bus.StartAsync();
        try
        {
            // The judgment, twice with one message id: both copies must get the same answer.
            var judge = new UpdateStage(id, judgment, """{"judgmentStatus":"continue"}""", "tester");
            var judgeId = NewId.NextGuid();
            var judged = await SendAsync(bus, judge, judgeId);
            var judgedAgain = await SendAsync(bus, judge, judgeId);
            Assert.Equal(ApiOutcome.Ok, judged.Outcome);
            Assert.True(judgedAgain.Outcome == ApiOutcome.Ok, $"the redelivered judgment was answered {judgedAgain.Outcome}: {judgedAgain.Detail}");

            // A restart, twice with one message id: the stage must run again once, not twice.
            var done = await client.WaitForStatusAsync(id, "SUCCEEDED", TimeSpan.FromSeconds(20));
            var last = Stage(done, "3")["id"]!.GetValue<string>();
            var restart = new RestartStage(id, last, "tester");
            var restartId = NewId.NextGuid();
            Assert.Equal(ApiOutcome.Ok, (await SendAsync(bus, restart, restartId)).Outcome);
            var restarted = await client.WaitForAsync(id, e => Status(e) == "SUCCEEDED" && Time(Stage(e, "3"), "endTime") != Time(Stage(done, "3"), "endTime"),
                TimeSpan.FromSeconds(20), "the restarted stage to end");
            await SendAsync(bus, restart, restartId);
            await Task.Delay(1_000);
            var after = await client.GetExecutionAsync(id);
            Assert.Equal(Time(Stage(restarted, "3"), "endTime"), Time(Stage(after, "3"), "endTime"));
            Assert.Equal(2, cluster.Events.For(id).Count(e => e.StageId == last));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task<ApiReply> SendAsync<T>(IBus bus, T command, Guid messageId) where T : class =>
        (await bus.CreateRequestClient<T>().GetResponse<ApiReply>(command, x => x.UseExecute(context => context.MessageId = messageId))).Message;
}
