using Delivery.Contracts;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>A read-only view of one task of a stage.</summary>
public interface ITaskView
{
    /// <summary>The task's id within its stage (<c>1</c>, <c>2</c> ...).</summary>
    string Id { get; }

    /// <summary>The task's name (<see cref="TaskDefinition.Name"/>).</summary>
    string Name { get; }

    /// <summary>The <see cref="IStageTask.Name"/> that runs it.</summary>
    string ImplementingClass { get; }

    /// <summary>The task's status.</summary>
    ExecutionStatus Status { get; }

    /// <summary>When the task started, in epoch milliseconds.</summary>
    long? StartTime { get; }

    /// <summary>When the task ended, in epoch milliseconds.</summary>
    long? EndTime { get; }

    /// <summary>Milliseconds the task spent PAUSED (its execution paused while it ran); its timeouts and waits do not count them.</summary>
    long PausedMs => 0;

    /// <summary>
    /// When the task started, moved later by the time it spent PAUSED: what waits and timeouts count from, as Orca counts
    /// a task's running time only. Null before it started.
    /// </summary>
    long? RunningSince => StartTime is { } start ? start + PausedMs : null;
}
