using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Orchestrator.Integrations.Webhooks;
using Microsoft.Extensions.Options;
using Delivery.ServiceDefaults.Http;

namespace Delivery.Orchestrator.Tasks.Webhooks;

/// <summary>
/// Polls the webhook's status URL (<c>statusEndpoint</c>) until <c>statusJsonPath</c> reads one of
/// <c>successStatuses</c>, <c>canceledStatuses</c> or <c>terminalStatuses</c> (comma-separated, any case) or a
/// number equal to 100 (percent complete). Each answer is kept as <c>webhook.monitor</c>
/// (<c>body</c>, <c>statusCode</c>, <c>progressMessage</c>, <c>percentComplete</c>). 5xx, retryable codes and
/// connection errors are polled again; other errors fail the stage.
/// </summary>
public sealed class MonitorWebhookTask(IHttpClientFactory clients, IOptions<WebhookOptions> options) : IStageTask
{
    public string Name => "monitorWebhookTask";

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var settings = context.Stage.Context;
        var o = options.Value;
        var running = context.Now - (context.Task.RunningSince ?? context.Now);
        // Like Orca's overridable timeout: the stage's stageTimeoutMs (enforced by the engine) replaces the default.
        if (settings["stageTimeoutMs"] is null && running > o.MonitorTimeout.TotalMilliseconds)
        {
            return TaskResult.Terminal($"The webhook status endpoint did not report a final status within {o.MonitorTimeout} (set stageTimeoutMs to wait longer).");
        }
        var endpoint = ContextValues.String(settings["statusEndpoint"])
            ?? (ContextValues.Flag(settings["monitorOnly"]) ? ContextValues.String(settings["url"]) : null);
        var statusPath = ContextValues.String(settings["statusJsonPath"]);
        var url = WebhookHttp.ParseUrl(endpoint, "statusEndpoint", out _);
        if (url is null || string.IsNullOrWhiteSpace(statusPath))
        {
            return TaskResult.Terminal($"Missing required parameter(s): statusEndpoint = {endpoint ?? "null"}, statusJsonPath = {statusPath ?? "null"}.");
        }
        var poll = running > TimeSpan.FromMinutes(1).TotalMilliseconds && o.SlowMonitorPollInterval > o.MonitorPollInterval
            ? o.SlowMonitorPollInterval
            : o.MonitorPollInterval;
        var webhook = settings["webhook"]?.DeepClone() as JsonObject ?? [];

        WebhookResponse response;
        try
        {
            using var request = WebhookHttp.Request(HttpMethod.Get, url, null, settings["customHeaders"]);
            using var answer = await clients.CreateClient(WebhookHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response = await WebhookHttp.ReadAsync(answer, o.MaxResponseBytes, cancellationToken);
        }
        catch (Exception e) when (OutboundCallRefusedException.Find(e) is { } refused)
        {
            return TaskResult.Terminal(refused.Message);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            webhook["monitor"] = new JsonObject { ["error"] = $"Failed to get the webhook status from {url}: {e.Message} Will retry." };
            return Running(poll, settings, new JsonObject { ["webhook"] = webhook });
        }

        var monitor = response.ToContext();
        webhook["monitor"] = monitor;
        var result = new JsonObject { ["webhook"] = webhook };
        var code = response.StatusCode;
        if (code is < 200 or >= 300)
        {
            if (WebhookHttp.IsRetryable(code, o.DefaultRetryStatusCodes, settings["retryStatusCodes"]))
            {
                monitor["error"] = $"Failed to get the webhook status from {url} with status code {code}, will retry.";
                return Running(poll, settings, result);
            }
            return Fail(ExecutionStatus.Terminal, monitor, result, $"An error occurred in the webhook monitor to {url}: status code {code}.");
        }
        if (!JsonPathLite.TryRead(response.Body, statusPath, out var status, out _))
        {
            return Fail(ExecutionStatus.Terminal, monitor, result, $"Unable to parse status: JSON property '{statusPath}' not found in response body.");
        }
        if (status is not JsonValue value || value.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
        {
            monitor["resolvedValue"] = status?.DeepClone();
            return Fail(ExecutionStatus.Terminal, monitor, result, $"The json path '{statusPath}' did not resolve to a single value.");
        }
        if (ContextValues.String(settings["progressJsonPath"]) is { Length: > 0 } progressPath
            && JsonPathLite.TryRead(response.Body, progressPath, out var progress, out _)
            && ContextValues.String(progress) is { Length: > 0 } message)
        {
            monitor["progressMessage"] = message;
        }
        if (value.GetValueKind() == JsonValueKind.Number)
        {
            var percent = value.GetValue<double>();
            monitor["percentComplete"] = value.DeepClone();
            return percent >= 100 ? Succeeded(result) : Running(poll, settings, result);
        }
        var reported = ContextValues.String(value)!.Trim().ToUpperInvariant();
        if (Statuses(settings["successStatuses"]).Contains(reported))
        {
            return Succeeded(result);
        }
        if (Statuses(settings["canceledStatuses"]).Contains(reported))
        {
            return Fail(ExecutionStatus.Canceled, monitor, result, $"The webhook status endpoint {url} reported '{reported}', one of the stage's canceledStatuses.");
        }
        if (Statuses(settings["terminalStatuses"]).Contains(reported))
        {
            return Fail(ExecutionStatus.Terminal, monitor, result, $"The webhook status endpoint {url} reported '{reported}', one of the stage's terminalStatuses.");
        }
        return Running(poll, settings, result);
    }

    /// <summary>Polls again; an answer that changes nothing (but its Date header) is not saved again.</summary>
    private static TaskResult Running(TimeSpan poll, JsonObject settings, JsonObject result)
    {
        static JsonNode? WithoutDates(JsonNode? webhook)
        {
            var copy = webhook?.DeepClone();
            (copy?["headers"] as JsonObject)?.Remove("Date");
            (copy?["monitor"]?["headers"] as JsonObject)?.Remove("Date");
            return copy;
        }
        return TaskResult.Running(poll, JsonNode.DeepEquals(WithoutDates(settings["webhook"]), WithoutDates(result["webhook"])) ? null : result);
    }

    private static TaskResult Succeeded(JsonObject result) =>
        TaskResult.Succeeded(result, new JsonObject { ["webhook"] = result["webhook"]!.DeepClone() });

    private static TaskResult Fail(ExecutionStatus status, JsonObject monitor, JsonObject result, string error)
    {
        monitor["error"] = error;
        return TaskErrors.Fail(status, [error], result, new JsonObject { ["webhook"] = result["webhook"]!.DeepClone() });
    }

    private static HashSet<string> Statuses(JsonNode? node) =>
        [.. (ContextValues.String(node) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant())];
}
