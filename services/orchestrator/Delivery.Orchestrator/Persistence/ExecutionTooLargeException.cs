namespace Delivery.Orchestrator.Persistence;

/// <summary>
/// A save or creation refused because the execution's stored JSON would exceed
/// <see cref="OrchestratorOptions.MaxExecutionBytes"/>; nothing was written.
/// </summary>
public sealed class ExecutionTooLargeException(string executionId, long bytes, long limit)
    : Exception($"Execution {executionId} would be stored as {bytes:N0} bytes, over the limit of {limit:N0} bytes (Delivery:Orchestrator:MaxExecutionBytes).")
{
    public long Bytes { get; } = bytes;

    public long Limit { get; } = limit;
}
