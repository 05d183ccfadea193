using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Integrations.Jenkins;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Tasks.Jenkins;

/// <summary>
/// Queues a build of <c>job</c> on <c>master</c> with <c>parameters</c> and records the queue item
/// (<c>queuedBuild</c>, <c>queueUrl</c>). A 5xx answer or a connection error is tried again after the poll interval.
/// </summary>
public sealed class StartJenkinsJobTask(JenkinsClient client, IOptions<JenkinsOptions> options) : IStageTask
{
    public string Name => "startJenkinsJobTask";

    public TimeSpan? Timeout => TimeSpan.FromMinutes(5);

    public bool HasExternalEffect => true;

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var settings = context.Stage.Context;
        if (JenkinsStageSettings.Read(settings, client, out var problem) is not { } jenkins)
        {
            return TaskResult.Terminal(problem!);
        }
        if (ContextValues.String(settings["queueUrl"]) is { Length: > 0 })
        {
            // Queued by an earlier run of this task: never queue a second build.
            return TaskResult.Succeeded();
        }
        if (settings["parameters"] is not (null or JsonObject))
        {
            return TaskResult.Terminal("'parameters' must be an object of build parameter names to values.");
        }
        var parameters = new Dictionary<string, string>();
        foreach (var (name, value) in settings["parameters"] as JsonObject ?? [])
        {
            if (value is not null)
            {
                parameters[name] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value.ToJsonString();
            }
        }
        Uri queue;
        try
        {
            queue = await client.TriggerBuildAsync(jenkins.Master, jenkins.Job, parameters, cancellationToken);
        }
        catch (JenkinsException e) when (e.Retryable)
        {
            return TaskResult.Running(options.Value.PollInterval, new JsonObject { ["jenkinsError"] = $"{e.Message} Will retry." });
        }
        catch (JenkinsException e)
        {
            return TaskResult.Terminal($"Could not start {jenkins.Describe()}: {e.Message}");
        }
        var item = queue.Segments.Select(s => s.Trim('/')).LastOrDefault(s => s.Length > 0 && s.All(char.IsDigit));
        return TaskResult.Succeeded(new JsonObject
        {
            ["queuedBuild"] = item is null ? null : long.Parse(item, CultureInfo.InvariantCulture),
            ["queueUrl"] = queue.ToString(),
        });
    }
}
