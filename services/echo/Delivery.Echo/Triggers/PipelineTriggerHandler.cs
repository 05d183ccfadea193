using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Echo.Index;
using Delivery.Echo.Orchestration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Echo.Triggers;

/// <summary>
/// Starts the pipelines whose <c>pipeline</c> trigger watches an execution that just ended, unless the new execution
/// would have more than <see cref="EchoOptions.MaxPipelineTriggerDepth"/> ancestors (a chain of triggers that loops).
/// </summary>
public sealed class PipelineTriggerHandler(
    TriggerIndex index, TriggerLauncher launcher, OrchestratorClient orchestrator, IOptions<EchoOptions> options, ILogger<PipelineTriggerHandler> logger)
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
        var maxDepth = options.Value.MaxPipelineTriggerDepth;
        // An unreadable parent counts as one ancestor: its own chain is unknown.
        var ancestry = parent is null ? [] : PipelineTrigger.Ancestry(parent, maxDepth + 1);
        if (ancestry.Count > maxDepth)
        {
            logger.LogWarning(
                "Pipeline triggers of {Pipelines} not fired: the execution would have more than {MaxDepth} ancestors ({Chain} ...), a chain of pipeline triggers that may loop.",
                string.Join(", ", matches.Select(m => $"{m.Pipeline.Application}/{m.Pipeline.Name}")), maxDepth,
                string.Join(" <- ", ancestry.Select(e => $"{TriggerIndex.Text(e["application"])}/{TriggerIndex.Text(e["name"])}")));
            return;
        }
        // The event's id is stable across redeliveries, so a redelivered completion starts nothing more.
        await launcher.LaunchAsync($"pipeline:{completed.EventId}", matches, t => PipelineTrigger.TriggerOf(t, completed, parent), cancellationToken);
    }
}
