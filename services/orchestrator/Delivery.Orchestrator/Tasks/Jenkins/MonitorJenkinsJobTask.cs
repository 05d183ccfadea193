using System.Text.Json.Nodes;
using Delivery.Orchestrator.Integrations.Jenkins;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Tasks.Jenkins;

/// <summary>
/// Polls the build (<c>{job}/{number}/api/json</c>) until it is no longer <c>building</c>, keeping
/// <c>buildInfo</c> (<c>number</c>, <c>url</c>, <c>result</c>, <c>building</c>, <c>artifacts</c>...) in the context and
/// outputs. SUCCESS succeeds; UNSTABLE succeeds only with <c>markUnstableAsSuccessful</c>; FAILURE, ABORTED and
/// NOT_BUILT fail the stage.
/// </summary>
public sealed class MonitorJenkinsJobTask(JenkinsClient client, IOptions<JenkinsOptions> options) : IStageTask
{
    private static readonly string[] BuildFields = ["number", "url", "result", "building", "artifacts", "duration", "timestamp", "displayName"];

    public string Name => "monitorJenkinsJobTask";

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var settings = context.Stage.Context;
        if (JenkinsStageSettings.Read(settings, client, out var problem) is not { } jenkins)
        {
            return TaskResult.Terminal(problem!);
        }
        if (jenkins.BuildNumber(settings) is not { } number)
        {
            return TaskResult.Terminal($"{jenkins.Describe()} has no build number to monitor.");
        }
        if (JenkinsTimeouts.Expired(context) is { } expired)
        {
            return TaskResult.Terminal($"{jenkins.Describe(number)} did not finish within {expired} (set stageTimeoutMs to wait longer).");
        }
        var poll = options.Value.PollInterval;
        JsonObject build;
        try
        {
            build = await client.GetJsonAsync(jenkins.Master, JenkinsClient.BuildUri(jenkins.Master, jenkins.Job, number), cancellationToken);
        }
        catch (JenkinsException e) when (e.Retryable)
        {
            return TaskResult.Running(poll, new JsonObject { ["jenkinsError"] = $"{e.Message} Will retry." });
        }
        catch (JenkinsException e)
        {
            return TaskResult.Terminal($"Could not read {jenkins.Describe(number)}: {e.Message}");
        }

        var info = new JsonObject { ["name"] = jenkins.Job };
        foreach (var field in BuildFields)
        {
            info[field] = build[field]?.DeepClone();
        }
        info["artifacts"] ??= new JsonArray();
        var result = ContextValues.String(build["result"])?.ToUpperInvariant();
        if (ContextValues.Flag(build["building"]) || result is null)
        {
            var changed = !JsonNode.DeepEquals(settings["buildInfo"], info);
            return TaskResult.Running(poll, changed ? new JsonObject { ["buildInfo"] = info } : null);
        }
        var values = new JsonObject { ["buildInfo"] = info };
        var url = ContextValues.String(build["url"]);
        return result switch
        {
            "SUCCESS" => TaskResult.Succeeded(values, (JsonObject)values.DeepClone()),
            "UNSTABLE" when context.Stage.Flag("markUnstableAsSuccessful") => TaskResult.Succeeded(values, (JsonObject)values.DeepClone()),
            "UNSTABLE" => Fail(values, $"{jenkins.Describe(number)} is UNSTABLE (set markUnstableAsSuccessful to accept unstable builds): {url}"),
            _ => Fail(values, $"{jenkins.Describe(number)} finished {result}: {url}"),
        };
    }

    private static TaskResult Fail(JsonObject values, string error) =>
        new(Contracts.ExecutionStatus.Terminal, values, (JsonObject)values.DeepClone(), Error: error);
}
