using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Contracts.Orchestration;
using Delivery.ServiceDefaults;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// Encodes engine messages for the outbox and the timer store. Only the known engine messages
/// can be decoded: a stored payload never names an arbitrary .NET type.
/// </summary>
public static class MessageCodec
{
    private static readonly FrozenDictionary<string, Type> Types = new[]
    {
        typeof(StartExecution), typeof(StartStage), typeof(StartTask), typeof(RunTask), typeof(CompleteTask),
        typeof(CompleteStage), typeof(ContinueParentStage), typeof(CompleteExecution), typeof(CancelExecution),
        typeof(PauseExecution), typeof(ResumeExecution), typeof(RestartStage), typeof(SkipStage), typeof(UpdateStage),
        typeof(StartWaitingExecutions),
        typeof(ExecutionStarted), typeof(ExecutionPaused), typeof(ExecutionResumed), typeof(ExecutionCompleted),
        typeof(StageStarted), typeof(StageCompleted), typeof(TaskStarted), typeof(TaskCompleted),
        typeof(JudgmentRequested), typeof(StageJudged),
    }.ToFrozenDictionary(t => t.Name);

    public static JsonObject Encode(object message) => new()
    {
        ["t"] = message.GetType().Name,
        ["m"] = JsonSerializer.SerializeToNode(message, message.GetType(), JsonDefaults.Options),
    };

    public static object Decode(JsonNode node)
    {
        var name = node["t"]?.GetValue<string>() ?? throw new JsonException("Encoded message has no type.");
        if (!Types.TryGetValue(name, out var type))
        {
            throw new JsonException($"Unknown engine message type '{name}'.");
        }
        return node["m"].Deserialize(type, JsonDefaults.Options) ?? throw new JsonException($"Empty {name} message.");
    }
}
