using System.Threading.Channels;
using Delivery.ServiceDefaults.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Delivery.Echo.Notifications;

/// <summary>
/// Sends queued notifications off the event consumer's path, a few at a time, each attempt bounded in time and
/// retried with exponential backoff and jitter (Polly) unless the receiver, or the outbound policy, refused it for good. A notification
/// that still fails is logged and dropped: it never fails or delays a pipeline.
/// </summary>
public sealed class NotificationDispatcher : BackgroundService
{
    private const int Workers = 4;
    private readonly Channel<NotificationJob> _queue = Channel.CreateBounded<NotificationJob>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait });
    private readonly IServiceProvider _services;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly ResiliencePipeline _retry;

    public NotificationDispatcher(IServiceProvider services, IOptions<NotificationOptions> options, ILogger<NotificationDispatcher> logger)
    {
        _services = services;
        _logger = logger;
        var o = options.Value;
        var builder = new ResiliencePipelineBuilder();
        if (o.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxAttempts - 1,
                Delay = TimeSpan.FromMilliseconds(o.RetryDelayMilliseconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // The outbound policy's refusal is as final as the receiver's: the address will not change on a retry.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e =>
                    e is not (NotificationRejectedException or OperationCanceledException) && OutboundCallRefusedException.Find(e) is null),
                OnRetry = a =>
                {
                    _logger.LogWarning(a.Outcome.Exception, "Notification attempt {Attempt} failed; retrying in {Delay}.", a.AttemptNumber + 1, a.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }
        _retry = builder.AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds)).Build();
    }

    public ValueTask EnqueueAsync(NotificationJob job) => _queue.Writer.WriteAsync(job);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        var senders = _services.GetServices<INotificationSender>().ToDictionary(s => s.Type, StringComparer.OrdinalIgnoreCase);
        await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            if (!senders.TryGetValue(job.Target.Type, out var sender))
            {
                _logger.LogWarning("Notification type '{Type}' is not supported; {Kind} of execution {ExecutionId} not sent.",
                    job.Target.Type, job.Event.Kind, job.Event.ExecutionId);
                continue;
            }
            try
            {
                await _retry.ExecuteAsync(async ct => await sender.SendAsync(job, ct), stoppingToken);
                _logger.LogInformation("Sent {Type} notification {Kind} of execution {ExecutionId}.", job.Target.Type, job.Event.Kind, job.Event.ExecutionId);
            }
            catch (Exception e) when (OutboundCallRefusedException.Find(e) is { } refused)
            {
                _logger.LogWarning("{Type} notification {Kind} of execution {ExecutionId} not sent: {Refusal}",
                    job.Target.Type, job.Event.Kind, job.Event.ExecutionId, refused.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _logger.LogError(e, "Gave up on {Type} notification {Kind} of execution {ExecutionId}.", job.Target.Type, job.Event.Kind, job.Event.ExecutionId);
            }
        }
    }
}
