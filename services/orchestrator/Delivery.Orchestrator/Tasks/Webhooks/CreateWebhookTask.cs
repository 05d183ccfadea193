using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Orchestrator.Integrations.Webhooks;
using Microsoft.Extensions.Options;
using Delivery.ServiceDefaults.Http;

namespace Delivery.Orchestrator.Tasks.Webhooks;

/// <summary>
/// Sends the webhook request (<c>url</c>, <c>method</c>, <c>customHeaders</c>, <c>payload</c>) and records
/// the answer as <c>webhook</c> (<c>statusCode</c>, <c>statusCodeValue</c>, <c>headers</c>, <c>body</c>). A 5xx,
/// a retryable status or a connection error is sent again with a doubling backoff, unless the code is one
/// of <c>failFastStatusCodes</c>; any other answer is final and is never sent again. With
/// <c>waitForCompletion</c> it resolves the status URL (<c>statusUrlResolution</c>) for the monitor.
/// </summary>
public sealed class CreateWebhookTask(IHttpClientFactory clients, IOptions<WebhookOptions> options) : IStageTask
{
    public string Name => "createWebhookTask";

    public TimeSpan? Timeout => options.Value.CreateTimeout;

    public bool HasExternalEffect => true;

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var settings = context.Stage.Context;
        var url = WebhookHttp.ParseUrl(ContextValues.String(settings["url"]), "url", out var problem);
        var method = WebhookHttp.ParseMethod(ContextValues.String(settings["method"]), out var methodProblem);
        if (url is null || method is null)
        {
            return TaskResult.Terminal((problem ?? methodProblem)!);
        }
        var call = new Call(context, url, options.Value);
        var previous = settings["webhook"] as JsonObject;
        var attempts = (int)(ContextValues.Number(previous?["attempts"]) ?? 0);

        // Delivery is at-least-once: an answer already recorded that is not to be retried stands.
        if (ContextValues.Number(previous?["statusCodeValue"]) is { } recorded && !call.ShouldRetry((int)recorded))
        {
            var headers = previous!["headers"] as JsonObject ?? [];
            return call.Evaluate(new WebhookResponse((int)recorded, previous["body"], headers, false), attempts);
        }

        attempts++;
        WebhookResponse response;
        try
        {
            using var request = WebhookHttp.Request(method, url, settings["payload"], settings["customHeaders"]);
            using var answer = await clients.CreateClient(WebhookHttp.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response = await WebhookHttp.ReadAsync(answer, options.Value.MaxResponseBytes, cancellationToken);
        }
        catch (Exception e) when (OutboundCallRefusedException.Find(e) is { } refused)
        {
            return TaskResult.Terminal(refused.Message);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var webhook = new JsonObject
            {
                ["error"] = $"Error submitting webhook for pipeline {context.Execution.Id} to {url}: {e.Message} Will retry.",
                ["attempts"] = attempts,
            };
            return TaskResult.Running(call.Backoff(attempts), new JsonObject { ["webhook"] = webhook });
        }
        return call.Evaluate(response, attempts);
    }

    private sealed class Call(TaskContext context, Uri url, WebhookOptions options)
    {
        private readonly JsonObject _settings = context.Stage.Context;

        public bool ShouldRetry(int code) =>
            !WebhookHttp.Codes(_settings["failFastStatusCodes"]).Contains(code)
            && WebhookHttp.IsRetryable(code, options.DefaultRetryStatusCodes, _settings["retryStatusCodes"]);

        public TimeSpan Backoff(int attempts)
        {
            var delay = options.RetryBackoff * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
            return delay < options.MaxRetryBackoff ? delay : options.MaxRetryBackoff;
        }

        public TaskResult Evaluate(WebhookResponse response, int attempts)
        {
            var webhook = response.ToContext();
            webhook["attempts"] = attempts;
            var code = response.StatusCode;
            var pipeline = context.Execution.Id;
            if (WebhookHttp.Codes(_settings["failFastStatusCodes"]).Contains(code))
            {
                return Fail(webhook, $"Received status code {code}, which is configured to fail fast, terminating stage for pipeline {pipeline} to {url}.");
            }
            if (ShouldRetry(code))
            {
                webhook["error"] = $"Error submitting webhook for pipeline {pipeline} to {url} with status code {code}, will retry.";
                return TaskResult.Running(Backoff(attempts), new JsonObject { ["webhook"] = webhook });
            }
            if (code is < 200 or >= 400)
            {
                return Fail(webhook, $"Error submitting webhook for pipeline {pipeline} to {url} with status code {code}.");
            }
            var result = new JsonObject { ["webhook"] = webhook };
            if (ContextValues.Flag(_settings["waitForCompletion"]))
            {
                var statusUrl = StatusUrl(response, out var problem);
                if (statusUrl is null)
                {
                    return Fail(webhook, problem!);
                }
                webhook["statusEndpoint"] = statusUrl;
                result["statusEndpoint"] = statusUrl;
            }
            return TaskResult.Succeeded(result, new JsonObject { ["webhook"] = webhook.DeepClone() });
        }

        private static TaskResult Fail(JsonObject webhook, string error)
        {
            webhook["error"] = error;
            return TaskErrors.Fail(ExecutionStatus.Terminal, [error], new JsonObject { ["webhook"] = webhook }, new JsonObject { ["webhook"] = webhook.DeepClone() });
        }

        /// <summary>The URL to poll: the webhook's own (<c>getMethod</c>), the <c>Location</c> header, or a JSON path into the response body.</summary>
        private string? StatusUrl(WebhookResponse response, out string? problem)
        {
            problem = null;
            var resolution = ContextValues.String(_settings["statusUrlResolution"]) ?? "getMethod";
            string? found;
            switch (resolution)
            {
                case "getMethod":
                    return url.ToString();
                case "locationHeader":
                    found = response.Header("Location");
                    problem = found is null ? "The status URL couldn't be resolved: the response has no Location header, but 'Wait for completion' is configured." : null;
                    break;
                case "webhookResponse":
                    var path = ContextValues.String(_settings["statusUrlJsonPath"]);
                    if (string.IsNullOrWhiteSpace(path))
                    {
                        problem = "statusUrlResolution 'webhookResponse' needs 'statusUrlJsonPath'.";
                        return null;
                    }
                    if (!JsonPathLite.TryRead(response.Body, path, out var value, out var pathProblem) || ContextValues.String(value) is not { Length: > 0 } text)
                    {
                        problem = $"Exception while resolving status check URL: {pathProblem ?? $"'{path}' is not a URL"} in the webhook response.";
                        return null;
                    }
                    found = text;
                    break;
                default:
                    problem = $"statusUrlResolution must be getMethod, locationHeader or webhookResponse, not '{resolution}'.";
                    return null;
            }
            if (found is null)
            {
                return null;
            }
            // A relative URL is resolved against the webhook's URL.
            if (!Uri.TryCreate(url, found.Trim(), out var resolved) || resolved.Scheme is not ("http" or "https"))
            {
                problem = $"The status URL '{found}' is not an http(s) URL.";
                return null;
            }
            return resolved.ToString();
        }
    }
}
