using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Contracts.Orchestration;
using Delivery.ServiceDefaults;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// Encodes engine messages for the outbox and the timer store. Only the known engine messages, and the message
/// types plug-ins registered with <c>AddTaskMessage</c>, can be decoded: a stored payload never names an arbitrary .NET type.
/// </summary>
public static class MessageCodec
{
    private static readonly FrozenDictionary<string, Type> Types = new[]
    {
        typeof(StartExecution), typeof(StartStage), typeof(StartTask), typeof(RunTask), typeof(CompleteTask),
        typeof(CompleteStage), typeof(ContinueParentStage), typeof(CompleteExecution), typeof(CancelExecution),
        typeof(PauseExecution), typeof(ResumeExecution), typeof(RestartStage), typeof(SkipStage), typeof(UpdateStage),
        typeof(StartWaitingExecutions), typeof(DeliverTaskCallback), typeof(ReviveExecution),
        typeof(ExecutionStarted), typeof(ExecutionPaused), typeof(ExecutionResumed), typeof(ExecutionCompleted),
        typeof(StageStarted), typeof(StageCompleted), typeof(TaskStarted), typeof(TaskCompleted),
        typeof(JudgmentRequested), typeof(StageJudged),
    }.ToFrozenDictionary(t => t.Name);

    // By full name, so that two plug-ins' records of the same short name never mix. Only ever grows: a type allowed
    // by one host in the process (tests run several) is harmless to another.
    private static readonly ConcurrentDictionary<string, Type> PluginTypes = new(StringComparer.Ordinal);

    /// <summary>Lets a plug-in message type be decoded (see <see cref="TaskMessageTypes"/>).</summary>
    internal static void Allow(Type type) => PluginTypes.TryAdd(type.FullName!, type);

    /// <summary>Whether messages of <paramref name="type"/> can be stored and read back.</summary>
    public static bool CanDecode(Type type) =>
        (Types.TryGetValue(type.Name, out var known) && known == type) || (PluginTypes.TryGetValue(type.FullName ?? "", out var plugin) && plugin == type);

    public static JsonObject Encode(object message) => new()
    {
        ["t"] = NameOf(message.GetType()),
        ["m"] = JsonSerializer.SerializeToNode(message, message.GetType(), JsonDefaults.Options),
    };

    public static object Decode(JsonNode node)
    {
        var name = node["t"]?.GetValue<string>() ?? throw new JsonException("Encoded message has no type.");
        if (!Types.TryGetValue(name, out var type) && !PluginTypes.TryGetValue(name, out type))
        {
            throw new JsonException($"Unknown engine message type '{name}'.");
        }
        return node["m"].Deserialize(type, JsonDefaults.Options) ?? throw new JsonException($"Empty {name} message.");
    }

    private static string NameOf(Type type) => Types.TryGetValue(type.Name, out var known) && known == type ? type.Name : type.FullName!;
}
