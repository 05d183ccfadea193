using System.Text.Json.Nodes;
using Delivery.Contracts;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>
/// What a task run produced (Orca's <c>TaskResult</c>).
/// </summary>
/// <param name="Status">
/// SUCCEEDED moves on to the next task; RUNNING runs the task again after <paramref name="RunAgainAfter"/> (or, when that
/// is null, when something wakes it: a user's input, a callback, its deadline); TERMINAL fails the stage with
/// <paramref name="Error"/> (then the stage's <c>failPipeline</c>/<c>continuePipeline</c> apply); STOPPED, CANCELED and
/// FAILED_CONTINUE end the stage with that status (see <see cref="TaskErrors.Fail"/> to record why).
/// </param>
/// <param name="Context">Values merged (by top-level key) into the stage's context.</param>
/// <param name="Outputs">Values merged into the stage's outputs, which downstream stages and expressions see.</param>
/// <param name="RunAgainAfter">For RUNNING: when to run again; null waits for an outside event.</param>
/// <param name="Error">For TERMINAL: the error recorded in the stage's <c>exception</c>.</param>
public sealed record TaskResult(ExecutionStatus Status, JsonObject? Context = null, JsonObject? Outputs = null, TimeSpan? RunAgainAfter = null, string? Error = null)
{
    /// <summary>
    /// Messages (commands to other services) published through the engine's outbox once this result is saved with the
    /// execution: never sent when the result is lost, sent again only if the orchestrator dies between saving and
    /// sending (so their consumers must be idempotent, e.g. by an operation id). Each type must be registered with
    /// <see cref="OrchestratorServiceCollectionExtensions.AddTaskMessage{TMessage}"/>, or the task fails.
    /// </summary>
    public IReadOnlyList<object> Messages { get; init; } = [];

    /// <summary>The task is done; the stage moves on.</summary>
    public static TaskResult Succeeded(JsonObject? context = null, JsonObject? outputs = null) => new(ExecutionStatus.Succeeded, context, outputs);

    /// <summary>Not done yet: run again after <paramref name="runAgainAfter"/>, or when woken if it is null.</summary>
    public static TaskResult Running(TimeSpan? runAgainAfter, JsonObject? context = null) => new(ExecutionStatus.Running, context, RunAgainAfter: runAgainAfter);

    /// <summary>Fails the stage with <paramref name="error"/>.</summary>
    public static TaskResult Terminal(string error, JsonObject? context = null) => new(ExecutionStatus.Terminal, context, Error: error);

    /// <summary>
    /// Starts work elsewhere and waits for its reply: publishes <paramref name="messages"/> through the outbox and stays
    /// RUNNING with no poll, until a reply registered with
    /// <see cref="OrchestratorServiceCollectionExtensions.AddTaskCallback{TReply}"/> wakes the task (or its timeout fails it).
    /// Record in <paramref name="context"/> what was sent (an operation id), so that a run that happens again sends nothing new.
    /// </summary>
    public static TaskResult AwaitCallback(JsonObject? context, params IReadOnlyList<object> messages) =>
        new(ExecutionStatus.Running, context) { Messages = messages };
}
