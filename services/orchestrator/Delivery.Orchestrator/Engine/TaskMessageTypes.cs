namespace Delivery.Orchestrator.Engine;

/// <summary>
/// The message types tasks may publish through their results: the engine's own and those registered with
/// <c>AddTaskMessage</c>. Registering them with <see cref="MessageCodec"/> lets an outbox that holds them be sent
/// again after a crash.
/// </summary>
public sealed class TaskMessageTypes
{
    public TaskMessageTypes(IEnumerable<TaskMessageType> registered)
    {
        foreach (var type in registered)
        {
            MessageCodec.Allow(type.MessageType);
        }
    }

    /// <summary>Null when every message may be published, else why not.</summary>
    public string? Check(IReadOnlyList<object> messages)
    {
        foreach (var message in messages)
        {
            if (message is null)
            {
                return "The task's result holds a null message.";
            }
            if (!MessageCodec.CanDecode(message.GetType()))
            {
                return $"The task sent a {message.GetType().FullName}, which is not a registered task message (services.AddTaskMessage<{message.GetType().Name}>()).";
            }
        }
        return null;
    }
}
