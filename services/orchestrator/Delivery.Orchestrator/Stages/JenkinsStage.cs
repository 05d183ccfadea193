using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks;
using Delivery.Orchestrator.Tasks.Jenkins;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Stages;

/// <summary>
/// Spinnaker's <c>jenkins</c> stage: build <c>job</c> on <c>master</c> with <c>parameters</c>, wait for it
/// (unless <c>waitForCompletion</c> is false) and read <c>propertyFile</c> into outputs.
/// </summary>
public sealed class JenkinsStage : IStageDefinition
{
    private static readonly string[] RunState = ["queuedBuild", "queueUrl", "queueStatus", "buildNumber", "buildUrl", "buildInfo", "propertyFileContents", "jenkinsError"];

    public string Type => "jenkins";

    public IReadOnlyList<TaskDefinition> Tasks(StageExecution stage)
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

    public void PrepareForRestart(StageExecution stage)
    {
        if (stage.Context["propertyFileContents"] is System.Text.Json.Nodes.JsonObject properties)
        {
            foreach (var (key, _) in properties.Where(p => !GetJenkinsPropertyFileTask.IsStageSetting(p.Key)).ToList())
            {
                stage.Context.Remove(key);
            }
        }
        foreach (var key in RunState)
        {
            stage.Context.Remove(key);
        }
    }
}
