using Delivery.Contracts;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Persistence;

/// <summary>
/// Executions, saved whole with optimistic versioning. A save can carry the messages the change
/// produced (an outbox, keyed by the message that caused it), written atomically with the
/// execution, so that a worker that dies between saving and sending leaves them to be sent again
/// when the causing message is redelivered.
/// </summary>
public interface IExecutionStore
{
    Task<PipelineExecution?> GetAsync(string id);

    /// <summary>The stored JSON of an execution, as is: reads need not deserialize and serialize it again.</summary>
    Task<string?> GetJsonAsync(string id);

    /// <summary>Loads an execution for a change, with any outbox left unsent by an earlier attempt at <paramref name="messageId"/>.</summary>
    Task<(PipelineExecution? Execution, string? PendingOutbox)> LoadForUpdateAsync(string id, string messageId);

    /// <summary>
    /// Saves if nobody saved since <see cref="PipelineExecution.Version"/> was read; bumps the version and
    /// records <paramref name="messageId"/> as applied. False on conflict.
    /// </summary>
    Task<bool> TrySaveAsync(PipelineExecution execution, string messageId, string? outbox);

    /// <summary>Drops the outbox <paramref name="messageId"/> left with execution <paramref name="executionId"/> once it was sent.</summary>
    Task ClearOutboxAsync(string executionId, string messageId);

    /// <summary>
    /// Stores a new execution and indexes it by application and pipeline config; false if that id exists already.
    /// A non-null <paramref name="outbox"/> (its start) is stored with it, atomically, as the outbox of message
    /// <see cref="PendingOutbox.Creation"/>, so that a process that dies before sending it leaves it to the sweeper.
    /// </summary>
    Task<bool> CreateAsync(PipelineExecution execution, string? outbox = null);

    /// <summary>
    /// Takes up to <paramref name="max"/> outboxes saved (or last taken) before <paramref name="savedBeforeMs"/> and marks
    /// them taken now, so that other replicas' sweepers leave them alone for as long again. Some may have been sent and
    /// cleared meanwhile: <see cref="GetOutboxAsync"/> then answers null.
    /// </summary>
    Task<IReadOnlyList<PendingOutbox>> TakeStaleOutboxesAsync(long savedBeforeMs, int max);

    /// <summary>
    /// Takes up to <paramref name="max"/> RUNNING executions last saved (or last taken) before <paramref name="savedBeforeMs"/>
    /// and marks them taken now, as <see cref="TakeStaleOutboxesAsync"/> does for outboxes: the candidates of the zombie
    /// sweep. The store keeps every execution saved RUNNING in that index (with its save time) and drops it once saved in
    /// any other status; an entry can be stale (the document changed since), so the caller reads the document again.
    /// </summary>
    Task<IReadOnlyList<string>> TakeIdleExecutionsAsync(long savedBeforeMs, int max);

    /// <summary>The stored outbox of <paramref name="messageId"/> for execution <paramref name="executionId"/>; null once cleared.</summary>
    Task<string?> GetOutboxAsync(string executionId, string messageId);

    /// <summary>
    /// The newest executions of an application, at most <paramref name="limit"/>, only those in <paramref name="statuses"/>
    /// when given. A status filter looks at the newest <see cref="MaxScanned"/> executions only, by their stored status,
    /// and reads the documents of those that match: no filter makes a read of unbounded size.
    /// </summary>
    Task<IReadOnlyList<PipelineExecution>> ListByApplicationAsync(string application, int limit, IReadOnlySet<ExecutionStatus>? statuses);

    /// <summary>The newest executions of a pipeline config, as <see cref="ListByApplicationAsync"/> for an application.</summary>
    Task<IReadOnlyList<PipelineExecution>> ListByPipelineConfigAsync(string pipelineConfigId, int limit, IReadOnlySet<ExecutionStatus>? statuses = null);

    /// <summary>How many of the newest executions a status-filtered list looks at.</summary>
    const int MaxScanned = 10_000;

    /// <summary>
    /// Drops the oldest executions of a pipeline config beyond <paramref name="keep"/>, but only those
    /// that completed before <paramref name="completedBeforeMs"/>, so that nobody loses sight of an
    /// execution the moment it ends.
    /// </summary>
    Task TrimAsync(string application, string pipelineConfigId, int keep, long completedBeforeMs);
}

/// <summary>An outbox left by message <paramref name="MessageId"/> beside execution <paramref name="ExecutionId"/>.</summary>
public sealed record PendingOutbox(string ExecutionId, string MessageId)
{
    /// <summary>The message id under which an execution's creation stores its start.</summary>
    public const string Creation = "created";
}
