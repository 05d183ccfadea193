using System.Net;
using System.Net.Http.Json;
using Delivery.ServiceDefaults;

namespace Delivery.Echo.Notifications;

/// <summary>
/// The <c>webhook</c> notification: a POST of the event as JSON to the notification's <c>address</c>, through the
/// installation's outbound HTTP policy (the address is a user's input). A 429 or 5xx is retried; another non-2xx
/// answer is final.
/// </summary>
public sealed class WebhookNotificationSender(IHttpClientFactory clients) : INotificationSender
{
    public const string ClientName = "echo-webhook";

    public string Type => "webhook";

    public async Task SendAsync(NotificationJob job, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(NotificationPlanner.Address(job.Target.Config), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new NotificationRejectedException($"Webhook notification address '{NotificationPlanner.Address(job.Target.Config)}' is not an http(s) URL.");
        }
        var e = job.Event;
        var body = new
        {
            e.EventId, Type = e.Kind, e.Application, e.ExecutionId, e.PipelineConfigId, e.PipelineName, e.Status, e.Time,
            e.StageId, e.StageName, e.Judgment, Message = job.Target.Text,
        };
        using var response = await clients.CreateClient(ClientName).PostAsJsonAsync(url, body, JsonDefaults.Options, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"Webhook {url} answered {(int)response.StatusCode}.");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new NotificationRejectedException($"Webhook {url} refused the notification with {(int)response.StatusCode}.");
        }
    }
}
