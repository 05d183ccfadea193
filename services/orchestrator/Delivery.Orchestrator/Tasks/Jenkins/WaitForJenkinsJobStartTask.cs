using System.Net;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Integrations.Jenkins;
using Microsoft.Extensions.Options;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Tasks.Jenkins;

/// <summary>
/// Polls the queue item (<c>{queueUrl}api/json</c>) until Jenkins assigns the build (<c>executable.number</c>,
/// <c>executable.url</c>), recording it as <c>buildNumber</c>/<c>buildUrl</c>; while it waits, <c>queueStatus</c>
/// holds Jenkins' reason (<c>why</c>). A cancelled queue item fails the stage.
/// </summary>
public sealed class WaitForJenkinsJobStartTask(JenkinsClient client, IOptions<JenkinsOptions> options) : IStageTask
{
    public string Name => "waitForJenkinsJobStartTask";

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var settings = context.Stage.Context;
        if (JenkinsStageSettings.Read(settings, client, out var problem) is not { } jenkins)
        {
            return TaskResult.Terminal(problem!);
        }
        if (!Uri.TryCreate(ContextValues.String(settings["queueUrl"]), UriKind.Absolute, out var queue))
        {
            return TaskResult.Terminal($"{jenkins.Describe()} has no queue item to wait for.");
        }
        var poll = options.Value.PollInterval;
        if (JenkinsTimeouts.Expired(context) is { } expired)
        {
            return TaskResult.Terminal($"{jenkins.Describe()} did not leave the queue within {expired} (set stageTimeoutMs to wait longer).");
        }
        JsonObject item;
        try
        {
            item = await client.GetJsonAsync(jenkins.Master, queue, cancellationToken);
        }
        catch (JenkinsException e) when (e.Retryable)
        {
            return TaskResult.Running(poll, new JsonObject { ["jenkinsError"] = $"{e.Message} Will retry." });
        }
        catch (JenkinsException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return TaskResult.Terminal($"The queue item {queue} of {jenkins.Describe()} is gone: Jenkins forgets queue items a few minutes after their build starts. {e.Message}");
        }
        catch (JenkinsException e)
        {
            return TaskResult.Terminal($"Could not read the queue item of {jenkins.Describe()}: {e.Message}");
        }
        if (ContextValues.Flag(item["cancelled"]))
        {
            return TaskResult.Terminal($"The build of {jenkins.Describe()} was cancelled while it was queued.");
        }
        if (ContextValues.Number(item["executable"]?["number"]) is { } number)
        {
            return TaskResult.Succeeded(new JsonObject
            {
                ["buildNumber"] = (long)number,
                ["buildUrl"] = item["executable"]?["url"]?.DeepClone(),
            });
        }
        var why = ContextValues.String(item["why"]) ?? "queued";
        return TaskResult.Running(poll, ContextValues.String(settings["queueStatus"]) == why ? null : new JsonObject { ["queueStatus"] = why });
    }
}
