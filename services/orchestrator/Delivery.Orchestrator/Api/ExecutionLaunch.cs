using System.Diagnostics;
using Delivery.Contracts.Api;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.ServiceDefaults.Telemetry;
using MassTransit;

namespace Delivery.Orchestrator.Api;

/// <summary>What a request that starts an execution (a trigger, an ad-hoc task) shares: its id and its start.</summary>
internal static class ExecutionLaunch
{
    /// <summary>The new execution's id, derived from the request, so that a redelivered request maps to the same execution.</summary>
    public static string IdFor(ConsumeContext context) =>
        Ids.UlidFrom(context.SentTime is { } sent ? new DateTimeOffset(sent, TimeSpan.Zero) : DateTimeOffset.UtcNow, context.MessageId ?? Guid.NewGuid());

    /// <summary>
    /// Stores the execution with its start (one write; a redelivered request finds both created already) and answers
    /// 202 with <c>{"ref": "{path}/{id}"}</c>, or 400 when the execution is over the stored-size cap.
    /// </summary>
    public static async Task<ApiReply> StartAsync(OutboxSender sender, PipelineExecution execution, string path)
    {
        DeliveryTelemetry.TagExecution(Activity.Current, execution.Id);
        try
        {
            await sender.CreateAndStartAsync(execution, CancellationToken.None);
        }
        catch (ExecutionTooLargeException e)
        {
            return ApiReply.Invalid(e.Message);
        }
        return ApiReply.Accepted($"{{\"ref\":\"{path}/{execution.Id}\"}}");
    }
}
