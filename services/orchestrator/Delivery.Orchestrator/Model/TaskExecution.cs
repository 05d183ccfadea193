using System.Text.Json.Nodes;
using Delivery.Contracts;

namespace Delivery.Orchestrator.Model;

/// <summary>One unit of work of a stage, run by the task named <see cref="ImplementingClass"/>.</summary>
public sealed class TaskExecution
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string ImplementingClass { get; init; }
    public ExecutionStatus Status { get; set; } = ExecutionStatus.NotStarted;
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }

    /// <summary>Milliseconds spent PAUSED while running; timeouts and waits do not count them.</summary>
    public long PausedMs { get; set; }
    public bool StageStart { get; init; }
    public bool StageEnd { get; init; }

    /// <summary>Set while a run of a task with an external effect is at work (<see cref="Abstractions.IStageTask.HasExternalEffect"/>); cleared with its result.</summary>
    public EffectClaim? EffectClaim { get; set; }

    /// <summary>Replies delivered to the task by callbacks, by key (see <see cref="TaskCallbackTarget"/>); null until the first.</summary>
    public JsonObject? Callbacks { get; set; }
}

/// <summary>A run's claim on a task's external call: <paramref name="Token"/> is known only to the delivery that made it; <paramref name="At"/> in Unix ms.</summary>
public sealed record EffectClaim(string Token, long At);
