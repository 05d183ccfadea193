using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Integrations.Jenkins;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Tasks.Jenkins;

/// <summary>
/// Reads the build's <c>propertyFile</c> artifact (<c>{build}/artifact/{propertyFile}</c>): a Java
/// <c>.properties</c> file, or a JSON object for a <c>.json</c> file. Each property becomes a stage output (and
/// context value) for later stages, and <c>propertyFileContents</c> keeps them together.
/// </summary>
public sealed class GetJenkinsPropertyFileTask(JenkinsClient client, IOptions<JenkinsOptions> options) : IStageTask
{
    private static readonly HashSet<string> StageSettings =
    [
        "master", "job", "parameters", "propertyFile", "markUnstableAsSuccessful", "waitForCompletion", "name", "type", "refId",
        "failPipeline", "continuePipeline", "completeOtherBranchesThenFail", "stageEnabled", "stageTimeoutMs", "exception",
        "restrictExecutionDuringTimeWindow", "restrictedExecutionWindow", "notifications", "sendNotifications", "comments",
        "queuedBuild", "queueUrl", "queueStatus", "buildNumber", "buildUrl", "buildInfo", "propertyFileContents", "jenkinsError",
    ];

    public string Name => "getJenkinsPropertyFileTask";

    /// <summary>Whether a context key is one of the stage's settings or run state, which a property must not overwrite.</summary>
    public static bool IsStageSetting(string key) => StageSettings.Contains(key);

    public TimeSpan? Timeout => TimeSpan.FromMinutes(5);

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var settings = context.Stage.Context;
        if (JenkinsStageSettings.Read(settings, client, out var problem) is not { } jenkins)
        {
            return TaskResult.Terminal(problem!);
        }
        if (ContextValues.String(settings["propertyFile"]) is not { Length: > 0 } file)
        {
            return TaskResult.Succeeded();
        }
        if (jenkins.BuildNumber(settings) is not { } number)
        {
            return TaskResult.Terminal($"{jenkins.Describe()} has no build to read '{file}' from.");
        }
        var path = string.Join('/', file.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
        var url = new Uri(JenkinsClient.BuildUri(jenkins.Master, jenkins.Job, number), $"artifact/{path}");
        string text;
        try
        {
            text = await client.GetTextAsync(jenkins.Master, url, cancellationToken);
        }
        catch (JenkinsException e) when (e.Retryable)
        {
            return TaskResult.Running(options.Value.PollInterval, new JsonObject { ["jenkinsError"] = $"{e.Message} Will retry." });
        }
        catch (JenkinsException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return TaskResult.Terminal($"Expected properties file '{file}' in {jenkins.Describe(number)}, but it was not archived.");
        }
        catch (JenkinsException e)
        {
            return TaskResult.Terminal($"Could not read '{file}' of {jenkins.Describe(number)}: {e.Message}");
        }

        JsonObject properties;
        if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                properties = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("the file is not a JSON object");
            }
            catch (JsonException e)
            {
                return TaskResult.Terminal($"Properties file '{file}' of {jenkins.Describe(number)} is not valid JSON: {e.Message}");
            }
        }
        else
        {
            properties = [];
            foreach (var (key, value) in JavaProperties.Parse(text))
            {
                properties[key] = value;
            }
        }
        if (properties.Count == 0)
        {
            return TaskResult.Terminal($"Expected properties file '{file}' in {jenkins.Describe(number)}, but it was empty.");
        }
        // Properties go to the context too (as in Orca), but never over the stage's own settings.
        var contextValues = new JsonObject();
        foreach (var (key, value) in properties.Where(p => !IsStageSetting(p.Key)))
        {
            contextValues[key] = value?.DeepClone();
        }
        contextValues["propertyFileContents"] = properties.DeepClone();
        return TaskResult.Succeeded(contextValues, properties);
    }
}
