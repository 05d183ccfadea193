namespace Delivery.Contracts.Clouddriver;

/// <summary>
/// Event: a clouddriver operation finished. Published once per run; a redelivered command gets the
/// same answer again (same <see cref="OperationId"/>, same outcome), so consumers must be idempotent.
/// </summary>
/// <param name="Succeeded">True only once the cloud reflects the operation (instances Up, traffic switched).</param>
/// <param name="Error">Why it failed, in words a pipeline user can act on; null when it succeeded.</param>
/// <param name="ResultJson">A JSON object with the operation's outputs (e.g. <c>serverGroupName</c>); <c>{}</c> when there are none.</param>
/// <param name="OperationId">The command's <c>OperationId</c>.</param>
/// <param name="ExecutionId">The command's <c>ExecutionId</c>.</param>
/// <param name="StageId">The command's <c>StageId</c>.</param>
/// <param name="TaskId">The command's <c>TaskId</c>.</param>
public sealed record OperationCompleted(
    string OperationId,
    string? ExecutionId,
    string? StageId,
    string? TaskId,
    bool Succeeded,
    string? Error,
    string ResultJson);
