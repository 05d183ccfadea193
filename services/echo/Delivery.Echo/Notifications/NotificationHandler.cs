using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Echo.Index;
using Delivery.Echo.Orchestration;
using Delivery.Echo.Store;

namespace Delivery.Echo.Notifications;

/// <summary>
/// Turns the engine's execution events into notifications, at most once each: every (event id, notification
/// target) pair is claimed in the <see cref="IEchoStore"/> (Redis <c>SET NX</c> with an expiry when replicas share
/// Redis, else in memory) before it is queued, so a redelivered event, or one seen by two replicas, notifies once.
/// Two notifications of one event to the same place send one message. The claim is kept even when sending
/// fails, since a notification is never worth a duplicate.
/// </summary>
public sealed class NotificationHandler(
    TriggerIndex index, OrchestratorClient orchestrator, ApplicationPreferences preferences, IEchoStore store, NotificationDispatcher dispatcher)
{
    private static readonly TimeSpan ClaimTtl = TimeSpan.FromDays(7);

    public Task HandleAsync(ExecutionStarted e, CancellationToken ct) =>
        PipelineEventAsync(new NotificationEvent(e.EventId, "pipeline.starting", e.Application, e.ExecutionId, e.PipelineConfigId, e.Name, e.Status.ToWire(), e.Time), ct);

    public Task HandleAsync(ExecutionCompleted e, CancellationToken ct) =>
        e.Status == ExecutionStatus.Skipped
            ? Task.CompletedTask
            : PipelineEventAsync(new NotificationEvent(e.EventId, e.Status == ExecutionStatus.Succeeded ? "pipeline.complete" : "pipeline.failed",
                e.Application, e.ExecutionId, e.PipelineConfigId, e.Name, e.Status.ToWire(), e.Time), ct);

    public Task HandleAsync(StageStarted e, CancellationToken ct) =>
        e.ParentStageId is not null ? Task.CompletedTask
            : StageEventAsync(e.EventId, "stage.starting", e, e.StageId, e.StageName, e.Status, null, ct);

    public Task HandleAsync(StageCompleted e, CancellationToken ct) =>
        e.ParentStageId is not null || e.Status == ExecutionStatus.Skipped ? Task.CompletedTask
            : StageEventAsync(e.EventId, e.Status == ExecutionStatus.Succeeded ? "stage.complete" : "stage.failed", e, e.StageId, e.StageName, e.Status, null, ct);

    public Task HandleAsync(JudgmentRequested e, CancellationToken ct) =>
        StageEventAsync(e.EventId, "manualJudgment", e, e.StageId, e.StageName, e.Status, new JudgmentDetails(e.Instructions, e.JudgmentInputs), ct);

    public Task HandleAsync(StageJudged e, CancellationToken ct) =>
        StageEventAsync(e.EventId, e.JudgmentStatus == "continue" ? "manualJudgmentContinue" : "manualJudgmentStop", e, e.StageId, e.StageName, e.Status,
            new JudgmentDetails(null, [], e.JudgmentStatus, e.Input, e.User), ct);

    private async Task PipelineEventAsync(NotificationEvent e, CancellationToken ct)
    {
        var pipeline = await index.FindPipelineAsync(e.PipelineConfigId, ct);
        var targets = NotificationPlanner.Plan(e, pipeline, null, await preferences.GetAsync(e.Application));
        await DispatchAsync(e, targets);
    }

    private async Task StageEventAsync(string eventId, string kind, IExecutionEvent e, string stageId, string stageName, ExecutionStatus status,
        JudgmentDetails? judgment, CancellationToken ct)
    {
        var pipeline = await index.FindPipelineAsync(e.PipelineConfigId, ct);
        // Only pipelines with a stage that asks for notifications are worth reading the execution for.
        if (pipeline is not { HasStageNotifications: true })
        {
            return;
        }
        var reply = await orchestrator.SendAsync(new GetExecution(e.ExecutionId), ct);
        if (!reply.IsSuccess || JsonNode.Parse(reply.Json ?? "null") is not JsonObject execution)
        {
            return;
        }
        var stage = (execution["stages"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => TriggerIndex.Text(s["id"]) == stageId);
        var notification = new NotificationEvent(eventId, kind, e.Application, e.ExecutionId, e.PipelineConfigId,
            TriggerIndex.Text(execution["name"]) ?? pipeline.Name, status.ToWire(), e.Time, stageId, stageName, judgment);
        await DispatchAsync(notification, NotificationPlanner.Plan(notification, pipeline, stage?["context"] as JsonObject, null));
    }

    private async Task DispatchAsync(NotificationEvent e, IReadOnlyList<NotificationTarget> targets)
    {
        foreach (var target in targets)
        {
            if (await store.TryClaimAsync($"notify:{e.EventId}:{ClaimKey(target)}", target.Type, ClaimTtl))
            {
                await dispatcher.EnqueueAsync(new NotificationJob(e, target));
            }
        }
    }

    /// <summary>
    /// Names a target by where it sends (type, address, cc), not by its place in the config: replicas whose indexes
    /// differ for a moment, or an application preference added between two deliveries, still agree on the claim.
    /// </summary>
    private static string ClaimKey(NotificationTarget target)
    {
        var where = $"{target.Type}\n{NotificationPlanner.Address(target.Config)}\n{TriggerIndex.Text(target.Config["cc"])}";
        return $"{target.Type}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(where)))[..32]}";
    }
}
