using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Stages;

/// <summary>
/// Spinnaker's <c>webhook</c> stage: send a request, then with <c>waitForCompletion</c> poll a status URL
/// (after <c>waitBeforeMonitor</c> seconds). <c>monitorOnly</c> skips the request and polls
/// <c>statusEndpoint</c> (or <c>url</c>).
/// </summary>
public sealed class WebhookStage : IStageDefinition
{
    private static readonly string[] RunState = ["webhook", "statusEndpoint"];

    public string Type => "webhook";

    /// <summary>Skips what is left of <c>waitBeforeMonitor</c>.</summary>
    public IReadOnlySet<string> UpdatableFields { get; } = new HashSet<string>(["skipRemainingWait"], StringComparer.Ordinal);

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage)
    {
        var tasks = new List<TaskDefinition>();
        var monitorOnly = stage.Flag("monitorOnly");
        if (!monitorOnly)
        {
            tasks.Add(new("createWebhook", "createWebhookTask"));
        }
        if (stage.Flag("waitForCompletion") || monitorOnly)
        {
            if (ContextValues.Number(stage.Context["waitBeforeMonitor"]) is > 0)
            {
                tasks.Add(new("waitBeforeMonitorWebhook", "waitBeforeMonitorWebhookTask"));
            }
            tasks.Add(new("monitorWebhook", "monitorWebhookTask"));
        }
        return tasks;
    }

    public void PrepareForRestart(JsonObject context)
    {
        foreach (var key in RunState)
        {
            if (key != "statusEndpoint" || !ContextValues.Flag(context["monitorOnly"]))
            {
                context.Remove(key);
            }
        }
    }
}
