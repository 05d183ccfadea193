using System.Text.Json.Nodes;

namespace Delivery.Clouddriver.Stages.Stages;

/// <summary>What every clouddriver stage type shares.</summary>
internal static class ClouddriverStage
{
    /// <summary>Removes the record of sent commands (and what they waited for) before a restart.</summary>
    public static void Forget(JsonObject context)
    {
        foreach (var key in context.Select(p => p.Key).Where(k => k.StartsWith("clouddriver.task.", StringComparison.Ordinal) || k == Tasks.OperationTask.WaitingFor).ToList())
        {
            context.Remove(key);
        }
    }
}
