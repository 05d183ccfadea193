using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Delivery.Echo.Notifications;
using Delivery.ServiceDefaults.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Delivery.Echo.Tests.Notifications;

/// <summary>How the dispatcher retries: a failure that may pass is tried MaxAttempts times, a refusal by the outbound policy once.</summary>
public sealed class NotificationDispatcherTests
{
    private const int MaxAttempts = 4;

    /// <summary>Fails every attempt with the exception its target's text names, counting attempts per text.</summary>
    private sealed class FailingSender : INotificationSender
    {
        public ConcurrentDictionary<string, int> Attempts { get; } = new();

        public string Type => "failing";

        public Task SendAsync(NotificationJob job, CancellationToken cancellationToken)
        {
            Attempts.AddOrUpdate(job.Target.Text, 1, (_, n) => n + 1);
            throw job.Target.Text == "refused"
                ? new HttpRequestException("connect failed", new OutboundCallRefusedException("127.0.0.1 is a loopback address"))
                : new HttpRequestException("503 from the receiver");
        }
    }

    [Fact]
    public async Task A_refusal_by_the_outbound_policy_is_not_retried_while_a_passing_failure_is()
    {
        var sender = new FailingSender();
        var services = new ServiceCollection().AddSingleton<INotificationSender>(sender).BuildServiceProvider();
        var options = Options.Create(new NotificationOptions { MaxAttempts = MaxAttempts, RetryDelayMilliseconds = 1 });
        using var dispatcher = new NotificationDispatcher(services, options, NullLogger<NotificationDispatcher>.Instance);
        await dispatcher.StartAsync(CancellationToken.None);

        await dispatcher.EnqueueAsync(Job("refused"));
        await EventuallyAsync(() => sender.Attempts.GetValueOrDefault("refused") >= 1);
        // The control starts after the refusal's first attempt, with the same backoff: once it has used every attempt,
        // retries of the refusal, had there been any, would have run too.
        await dispatcher.EnqueueAsync(Job("unavailable"));
        await EventuallyAsync(() => sender.Attempts.GetValueOrDefault("unavailable") == MaxAttempts);
        await Task.Delay(100);

        Assert.Equal(1, sender.Attempts["refused"]);
        Assert.Equal(MaxAttempts, sender.Attempts["unavailable"]);
        await dispatcher.StopAsync(CancellationToken.None);
    }

    private static NotificationJob Job(string text) => new(
        new NotificationEvent(Guid.NewGuid().ToString("N"), "pipeline.complete", "app", "execution", null, "pipeline", "SUCCEEDED", 0),
        new NotificationTarget("failing", [], text));

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(5);
        }
    }
}
