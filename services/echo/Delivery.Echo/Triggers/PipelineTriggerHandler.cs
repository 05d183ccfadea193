using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Echo.Index;
using Delivery.Echo.Orchestration;

namespace Delivery.Echo.Triggers;

/// <summary>Starts the pipelines whose <c>pipeline</c> trigger watches an execution that just ended.</summary>
public sealed class PipelineTriggerHandler(TriggerIndex index, TriggerLauncher launcher, OrchestratorClient orchestrator)
{
    public async Task HandleAsync(ExecutionCompleted completed, CancellationToken cancellationToken)
    {
        var matches = index.OfType(PipelineTrigger.Type).Where(t => PipelineTrigger.Matches(t, completed)).ToList();
        if (matches.Count == 0)
        {
            return;
        }
        var reply = await orchestrator.SendAsync(new GetExecution(completed.ExecutionId), cancellationToken);
        var parent = reply.IsSuccess ? JsonNode.Parse(reply.Json ?? "null") as JsonObject : null;
        // The event's id is stable across redeliveries, so a redelivered completion starts nothing more.
        await launcher.LaunchAsync($"pipeline:{completed.EventId}", matches, t => PipelineTrigger.TriggerOf(t, completed, parent), cancellationToken);
    }
}
