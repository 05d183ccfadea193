using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>
/// What a task sees when it runs: read-only views of its execution, stage and task, the engine's clock, and the
/// callback payloads delivered to it. Provided by the engine for one run; do not keep it.
/// </summary>
public abstract class TaskContext
{
    /// <summary>The execution (id, application, pipeline config id, trigger, every stage).</summary>
    public abstract IExecutionView Execution { get; }

    /// <summary>The stage the task belongs to.</summary>
    public abstract IStageView Stage { get; }

    /// <summary>The task being run (its id, name and start time).</summary>
    public abstract ITaskView Task { get; }

    /// <summary>The engine's clock for this run, in epoch milliseconds (the same for every task run by one message).</summary>
    public abstract long Now { get; }

    /// <summary>
    /// Replies delivered to this task by callbacks (<see cref="OrchestratorServiceCollectionExtensions.AddTaskCallback{TReply}"/>),
    /// by their <see cref="TaskCallbackTarget.Key"/>, each the reply as JSON (<see cref="TaskCallbacks.SerializerOptions"/>).
    /// Empty until a reply arrives; cleared when the stage restarts.
    /// </summary>
    public abstract IReadOnlyDictionary<string, JsonNode?> Callbacks { get; }

    /// <summary>
    /// The variables a <c>${...}</c> expression of this stage sees: upstream stages' outputs, the stage's context,
    /// <c>execution</c>, <c>trigger</c> and <c>parameters</c> (built on each call).
    /// </summary>
    public abstract JsonObject ExpressionRoot();

    /// <summary>The callback delivered under <paramref name="key"/> read as <typeparamref name="TReply"/>, or null when none arrived yet.</summary>
    /// <exception cref="JsonException">The payload does not fit <typeparamref name="TReply"/>.</exception>
    public TReply? Callback<TReply>(string key) where TReply : class =>
        Callbacks.TryGetValue(key, out var payload) && payload is not null ? payload.Deserialize<TReply>(TaskCallbacks.SerializerOptions) : null;
}
