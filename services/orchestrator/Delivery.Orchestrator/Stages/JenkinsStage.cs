using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tasks.Jenkins;

namespace Delivery.Orchestrator.Stages;

/// <summary>
/// Spinnaker's <c>jenkins</c> stage: build <c>job</c> on <c>master</c> with <c>parameters</c>, wait for it
/// (unless <c>waitForCompletion</c> is false) and read <c>propertyFile</c> into outputs.
/// </summary>
public sealed class JenkinsStage : IStageDefinition
{
    private static readonly string[] RunState = ["queuedBuild", "queueUrl", "queueStatus", "buildNumber", "buildUrl", "buildInfo", "propertyFileContents", "jenkinsError"];

    public string Type => "jenkins";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage)
    {
        var tasks = new List<TaskDefinition> { new("startJenkinsJob", "startJenkinsJobTask") };
        if (ContextValues.FlagDefaultTrue(stage.Context["waitForCompletion"]))
        {
            tasks.Add(new("waitForJenkinsJobStart", "waitForJenkinsJobStartTask"));
            tasks.Add(new("monitorJenkinsJob", "monitorJenkinsJobTask"));
            if (ContextValues.String(stage.Context["propertyFile"]) is { Length: > 0 })
            {
                tasks.Add(new("getPropertyFile", "getJenkinsPropertyFileTask"));
            }
        }
        return tasks;
    }

    public void PrepareForRestart(JsonObject context)
    {
        if (context["propertyFileContents"] is JsonObject properties)
        {
            foreach (var (key, _) in properties.Where(p => !GetJenkinsPropertyFileTask.IsStageSetting(p.Key)).ToList())
            {
                context.Remove(key);
            }
        }
        foreach (var key in RunState)
        {
            context.Remove(key);
        }
    }
}
