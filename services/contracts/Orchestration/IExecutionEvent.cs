namespace Delivery.Contracts.Orchestration;

/// <summary>
/// What every execution event carries, so that a consumer (notifications, pipeline triggers,
/// gate's live <c>GET /events</c>) can take them all at once. Published through the engine's
/// outbox after the save that made the change: an event is never lost, and a copy sent again
/// (after a crash or a redelivery) carries the same <see cref="EventId"/>.
/// </summary>
public interface IExecutionEvent
{
    /// <summary>
    /// Stable id of this event, <c>{executionId}:{version}:{position}</c>: the same for every copy of it,
    /// unique among the execution's events (see <see cref="ExecutionEventIds"/>).
    /// </summary>
    string EventId { get; }

    /// <summary>The execution that changed.</summary>
    string ExecutionId { get; }

    /// <summary>The execution's application.</summary>
    string Application { get; }

    /// <summary>The pipeline config the execution runs; null for an ad-hoc orchestration.</summary>
    string? PipelineConfigId { get; }

    /// <summary>The execution's version after the save that produced this event (several events may share one).</summary>
    long Version { get; }

    /// <summary>
    /// 1 for the execution's first event, then one more for each: gapless per execution, so a consumer
    /// receiving events out of order can restore their order and tell whether one is still on its way.
    /// </summary>
    long Sequence { get; }

    /// <summary>When the change happened, in milliseconds since the Unix epoch (the engine's clock).</summary>
    long Time { get; }
}
