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

    /// <summary>
    /// The applied gate requests (<see cref="PipelineExecution.AppliedRequests"/>) as stored beside the document: a JSON
    /// object of message id to time applied (ms), or the empty string when there are none.
    /// </summary>
    public static string SerializeRequests(PipelineExecution execution) =>
        execution.AppliedRequests is { Count: > 0 } requests ? JsonSerializer.Serialize(requests) : "";

    /// <summary>Reads a stored document and, when given, the applied requests stored beside it.</summary>
    public static PipelineExecution Deserialize(ReadOnlySpan<byte> json, long version, string? requests)
    {
        var execution = JsonSerializer.Deserialize<PipelineExecution>(json, JsonDefaults.Options)
            ?? throw new JsonException("Execution document is null.");
        execution.Version = version;
        if (!string.IsNullOrEmpty(requests))
        {
            execution.AppliedRequests = JsonSerializer.Deserialize<Dictionary<string, long>>(requests);
        }
        return execution;
    }
}
