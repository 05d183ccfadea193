using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Echo.Index;
using Delivery.Echo.Orchestration;
using Delivery.Echo.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Echo.Triggers;

/// <summary>
/// Starts the pipelines a trigger event matched, once per event: each (event id, pipeline) pair is claimed in
/// the <see cref="IEchoStore"/> before <see cref="TriggerPipeline"/> is sent, so a duplicate delivery (the same
/// event id, from any replica, within <see cref="EchoOptions.DeduplicationHours"/>) starts nothing and reports
/// the execution the first delivery started.
/// </summary>
public sealed class TriggerLauncher(OrchestratorClient orchestrator, IEchoStore store, IOptions<EchoOptions> options, ILogger<TriggerLauncher> logger)
{
    private const string Pending = "pending";

    /// <summary>
    /// Sends one <see cref="TriggerPipeline"/> per match (at most <see cref="EchoOptions.MaxExecutionsPerEvent"/>);
    /// <paramref name="triggerOf"/> builds the execution's trigger (<c>trigger.*</c> in expressions) for a match.
    /// </summary>
    public async Task<IReadOnlyList<StartedExecution>> LaunchAsync(
        string eventId, IEnumerable<IndexedTrigger> matches, Func<IndexedTrigger, JsonObject> triggerOf, CancellationToken cancellationToken)
    {
        var started = new List<StartedExecution>();
        var ttl = TimeSpan.FromHours(options.Value.DeduplicationHours);
        // One execution per pipeline, even when two of its triggers match the same event.
        foreach (var match in matches.DistinctBy(m => m.Pipeline.Id).Take(options.Value.MaxExecutionsPerEvent))
        {
            var pipeline = match.Pipeline;
            var claim = $"event:{eventId}:{pipeline.Id}";
            if (!await store.TryClaimAsync(claim, Pending, ttl))
            {
                var earlier = await store.GetAsync(claim);
                started.Add(new StartedExecution(pipeline.Application, pipeline.Name, pipeline.Id, earlier is Pending ? null : earlier, Duplicate: true));
                continue;
            }
            var trigger = triggerOf(match);
            trigger["eventId"] = eventId;
            trigger["user"] ??= TriggerIndex.Text(match.Trigger["runAsUser"]) ?? "[anonymous]";
            trigger["parameters"] ??= new JsonObject();
            var reply = await orchestrator.SendAsync(new TriggerPipeline(pipeline.Application, pipeline.Name, trigger.ToJsonString()), cancellationToken);
            var reference = reply.IsSuccess ? JsonNode.Parse(reply.Json ?? "{}")?["ref"]?.GetValue<string>() : null;
            if (reference is null)
            {
                // Given back, so that a redelivery of the event may try again.
                await store.DeleteAsync(claim);
                logger.LogWarning("Trigger {Type} of pipeline {Application}/{Pipeline} did not start it: {Detail}",
                    match.Type, pipeline.Application, pipeline.Name, reply.Detail);
                started.Add(new StartedExecution(pipeline.Application, pipeline.Name, pipeline.Id, null, Error: reply.Detail ?? "no execution reference"));
                continue;
            }
            await store.SetAsync(claim, reference, ttl);
            logger.LogInformation("Trigger {Type} (event {EventId}) started {Application}/{Pipeline}: {Ref}",
                match.Type, eventId, pipeline.Application, pipeline.Name, reference);
            started.Add(new StartedExecution(pipeline.Application, pipeline.Name, pipeline.Id, reference));
        }
        return started;
    }
}

/// <summary>
/// What one matched pipeline came to: <see cref="Ref"/> is <c>/pipelines/{executionId}</c> when it started (or,
/// for a <see cref="Duplicate"/>, when the first delivery started it); <see cref="Error"/> says why it did not.
/// </summary>
public sealed record StartedExecution(string Application, string Pipeline, string PipelineConfigId, string? Ref, bool Duplicate = false, string? Error = null);
