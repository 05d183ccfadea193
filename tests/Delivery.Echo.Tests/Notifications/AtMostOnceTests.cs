using System.Globalization;
using System.Text.Json.Nodes;
using Delivery.Contracts.Orchestration;
using Delivery.Echo.Index;
using Delivery.Echo.Notifications;
using Delivery.Echo.Tests.TestHost;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Echo.Tests.Notifications;

/// <summary>
/// Two echo replicas sharing one real Redis, both handed the same execution event (and one of them twice, as a
/// redelivery), send one email to a real SMTP server (aiosmtpd).
/// </summary>
public sealed class AtMostOnceTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private SmtpServer smtp = null!;

    private sealed class Replica(string redis, string prefix, int smtpPort) : EchoFactory(new Dictionary<string, string?>
    {
        ["Delivery:Store:Kind"] = "Redis",
        ["Delivery:Store:Redis"] = redis,
        ["Delivery:Store:KeyPrefix"] = prefix,
        ["Delivery:Notifications:Smtp:Host"] = "127.0.0.1",
        ["Delivery:Notifications:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
        ["Delivery:Notifications:Smtp:From"] = "delivery@example.com",
        ["Delivery:Notifications:Smtp:Security"] = "None",
    });

    /// <summary>Catches the engine's <see cref="ExecutionCompleted"/> of one application, as echo's consumer gets it.</summary>
    private sealed class CompletionObserver(string application) : IConsumeObserver
    {
        public TaskCompletionSource<ExecutionCompleted> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is ExecutionCompleted completed && completed.Application == application)
            {
                Seen.TrySetResult(completed);
            }
            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    public async Task InitializeAsync() => smtp = await SmtpServer.StartAsync();

    public async Task DisposeAsync() => await smtp.DisposeAsync();

    [Fact]
    public async Task Two_replicas_and_a_redelivery_of_one_completion_send_one_email()
    {
        var prefix = $"notify-{Guid.NewGuid():N}:";
        await using var first = new Replica(redis.Configuration, prefix, smtp.Port);
        await using var second = new Replica(redis.Configuration, prefix, smtp.Port);
        var client = first.Client();
        var app = DeliveryClient.Unique("app");
        var recipient = $"{DeliveryClient.Unique("ops")}@example.com";
        var pipeline = DeliveryClient.Pipeline(app, "deploy");
        pipeline["notifications"] = new JsonArray(new JsonObject { ["type"] = "email", ["address"] = recipient, ["when"] = new JsonArray("pipeline.complete") });
        await client.SavePipelineAsync(pipeline);
        Assert.True(await second.Services.GetRequiredService<TriggerIndex>().RefreshAsync());
        var observer = new CompletionObserver(app);
        using var _ = first.Services.GetRequiredService<IBus>().ConnectConsumeObserver(observer);

        var id = await client.TriggerAsync(app, "deploy");
        await client.WaitForAsync(id, e => DeliveryClient.Status(e) == "SUCCEEDED");
        var completed = await observer.Seen.Task.WaitAsync(TimeSpan.FromSeconds(15));
        // Besides the first replica's own consumer: the second replica, and the first once more, get the same event.
        await Task.WhenAll(
            second.Services.GetRequiredService<NotificationHandler>().HandleAsync(completed, CancellationToken.None),
            first.Services.GetRequiredService<NotificationHandler>().HandleAsync(completed, CancellationToken.None));

        var mail = await smtp.WaitForMessageAsync(recipient);
        Assert.Contains(id, mail.TextBody, StringComparison.Ordinal);
        // A duplicate would be queued by now and sent within milliseconds; give a busy machine time to show one.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, await smtp.CountMessagesToAsync(recipient));
    }
}
