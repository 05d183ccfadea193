using System.Text.Json;
using System.Text.Json.Serialization;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>Limits and the JSON shape of callback payloads kept with a task.</summary>
public static class TaskCallbacks
{
    /// <summary>The largest payload (UTF-8 JSON bytes) kept; a larger reply to a running task ends its stage TERMINAL, naming this bound.</summary>
    public const int MaxPayloadBytes = 64 * 1024;

    /// <summary>How many distinct keys one task run may receive; one more ends the running task's stage TERMINAL.</summary>
    public const int MaxCallbacksPerTask = 32;

    /// <summary>How replies are written into the execution and read back by <see cref="TaskContext.Callback{TReply}"/>: camelCase, nulls omitted.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
