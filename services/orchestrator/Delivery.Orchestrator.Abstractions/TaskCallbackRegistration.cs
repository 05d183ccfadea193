using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>
/// A reply type that wakes waiting tasks, added by
/// <see cref="OrchestratorServiceCollectionExtensions.AddTaskCallback{TReply}"/>. The orchestrator consumes every
/// registered reply type on its queue.
/// </summary>
public abstract class TaskCallbackRegistration
{
    private protected TaskCallbackRegistration()
    {
    }

    /// <summary>The reply message type.</summary>
    public abstract Type ReplyType { get; }
}

/// <summary>How a reply of type <typeparamref name="TReply"/> names the task it wakes, and what of it the task keeps.</summary>
/// <typeparam name="TReply">The reply message type (a record, usually from the other service's public contracts).</typeparam>
public sealed class TaskCallbackRegistration<TReply> : TaskCallbackRegistration where TReply : class
{
    private readonly Func<TReply, TaskCallbackTarget?> _target;
    private readonly Func<TReply, JsonNode?> _payload;

    internal TaskCallbackRegistration(Func<TReply, TaskCallbackTarget?> target, Func<TReply, JsonNode?>? payload)
    {
        _target = target;
        _payload = payload ?? (reply => JsonSerializer.SerializeToNode(reply, TaskCallbacks.SerializerOptions));
    }

    /// <inheritdoc />
    public override Type ReplyType => typeof(TReply);

    /// <summary>The task <paramref name="reply"/> wakes, or null when it is not a reply to a task.</summary>
    public TaskCallbackTarget? TargetOf(TReply reply) => _target(reply);

    /// <summary>What the task receives (by default the whole reply as JSON).</summary>
    public JsonNode? PayloadOf(TReply reply) => _payload(reply);
}
