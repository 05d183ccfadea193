using System.Text.Json.Nodes;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Timers;
using MassTransit;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// Sends what a saved change produced: schedules its delayed messages and publishes the rest, each under the id it
/// was given when produced (<see cref="OutgoingMessage.Id"/>, stored in the outbox), so sending one outbox twice (a
/// redelivery and the <see cref="OutboxSweeper"/>, even both at once) publishes the same ids, which the engine
/// recognizes as applied (<see cref="PipelineExecution.WasApplied"/>).
/// </summary>
public sealed class OutboxSender(IExecutionStore store, ITimerStore timers, TimerDispatcher timerDispatcher, IBus bus)
{
    /// <summary>Sends <paramref name="outgoing"/>; their order does not matter.</summary>
    public Task SendAsync(IReadOnlyList<OutgoingMessage> outgoing, CancellationToken cancellationToken)
    {
        if (outgoing.Count == 0)
        {
            return Task.CompletedTask;
        }
        return Task.WhenAll(outgoing.Select(async m =>
        {
            if (m.DueMs is { } due && m.TimerKey is { } key)
            {
                await timers.ScheduleAsync(key, MessageCodec.Encode(m.Message).ToJsonString(), due);
                timerDispatcher.Wake(due);
            }
            else
            {
                await bus.Publish(m.Message, m.Message.GetType(), Pipe.Execute<PublishContext>(c => c.MessageId = m.Id), cancellationToken);
            }
        }));
    }

    /// <summary>Removes the timers of tasks that ended, except those <paramref name="outgoing"/> schedules again.</summary>
    public Task CancelTimersAsync(IReadOnlyCollection<string> keys, IReadOnlyList<OutgoingMessage> outgoing)
    {
        if (keys.Count == 0)
        {
            return Task.CompletedTask;
        }
        var rescheduled = outgoing.Select(m => m.TimerKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return Task.WhenAll(keys.Where(k => !rescheduled.Contains(k)).Select(timers.CancelAsync));
    }

    /// <summary>Sends a stored outbox (<see cref="Encode"/>d) and then drops it.</summary>
    /// <exception cref="System.Text.Json.JsonException">The outbox cannot be decoded (it is left in place).</exception>
    public async Task SendStoredAsync(string executionId, string messageId, string outbox, CancellationToken cancellationToken)
    {
        await SendAsync(Decode(outbox), cancellationToken);
        await store.ClearOutboxAsync(executionId, messageId);
    }

    /// <summary>
    /// Creates <paramref name="execution"/> together with its <see cref="StartExecution"/> (one atomic write), then sends
    /// the start. A process that dies in between leaves the start to the sweeper; a second creation under the same id
    /// (a redelivered trigger, a task run again) sends the start again under the same message id.
    /// </summary>
    public async Task CreateAndStartAsync(PipelineExecution execution, CancellationToken cancellationToken)
    {
        List<OutgoingMessage> start = [new(new StartExecution(execution.Id), null, null)];
        var outbox = Encode(start);
        await store.CreateAsync(execution, outbox);
        await SendStoredAsync(execution.Id, PendingOutbox.Creation, outbox, cancellationToken);
    }

    /// <summary>The outbox as stored beside the execution: a JSON array of encoded messages, with due time and key for timers.</summary>
    public static string Encode(IEnumerable<OutgoingMessage> messages) =>
        new JsonArray([.. messages.Select(m =>
        {
            var node = MessageCodec.Encode(m.Message);
            node["id"] = m.Id.ToString("N");
            if (m.DueMs is { } due)
            {
                node["due"] = due;
                node["key"] = m.TimerKey;
            }
            return (JsonNode)node;
        })]).ToJsonString();

    private static List<OutgoingMessage> Decode(string json) =>
        [.. JsonNode.Parse(json)!.AsArray().Select(n => new OutgoingMessage(
            MessageCodec.Decode(n!), n!["due"]?.GetValue<long>(), n["key"]?.GetValue<string>())
        {
            // Outboxes stored before ids were kept have none: a fresh one only loses duplicate detection.
            Id = Guid.TryParseExact(n["id"]?.GetValue<string>(), "N", out var id) ? id : Guid.NewGuid(),
        })];
}
