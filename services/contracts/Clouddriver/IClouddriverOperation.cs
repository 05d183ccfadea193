namespace Delivery.Contracts.Clouddriver;

/// <summary>
/// What every clouddriver operation command carries: an id that makes it idempotent (a redelivered
/// command with the same id is answered with the first run's result, never run twice) and the
/// correlation fields copied into its <see cref="OperationCompleted"/> so the waiting task is woken.
/// </summary>
public interface IClouddriverOperation
{
    /// <summary>Unique per operation; chosen by the sender (e.g. <c>{executionId}:{stageId}:{taskId}</c>).</summary>
    string OperationId { get; }

    /// <summary>Execution that asked for the operation, echoed back in the result.</summary>
    string? ExecutionId { get; }

    /// <summary>Stage that asked for the operation, echoed back in the result.</summary>
    string? StageId { get; }

    /// <summary>Task that asked for the operation, echoed back in the result.</summary>
    string? TaskId { get; }
}
