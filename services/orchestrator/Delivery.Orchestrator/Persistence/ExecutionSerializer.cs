using System.Text.Json;
using Delivery.Orchestrator.Model;
using Delivery.ServiceDefaults;

namespace Delivery.Orchestrator.Persistence;

public static class ExecutionSerializer
{
    public static byte[] Serialize(PipelineExecution execution) => JsonSerializer.SerializeToUtf8Bytes(execution, JsonDefaults.Options);

    /// <summary>The document to store, checked against the stored-size cap.</summary>
    /// <exception cref="ExecutionTooLargeException">It is longer than <paramref name="maxBytes"/>.</exception>
    public static byte[] SerializeForSave(PipelineExecution execution, long maxBytes)
    {
        var json = Serialize(execution);
        return json.LongLength > maxBytes ? throw new ExecutionTooLargeException(execution.Id, json.LongLength, maxBytes) : json;
    }

    public static string SerializeToString(PipelineExecution execution) => JsonSerializer.Serialize(execution, JsonDefaults.Options);

    public static PipelineExecution Deserialize(ReadOnlySpan<byte> json, long version)
    {
        var execution = JsonSerializer.Deserialize<PipelineExecution>(json, JsonDefaults.Options)
            ?? throw new JsonException("Execution document is null.");
        execution.Version = version;
        return execution;
    }
}
