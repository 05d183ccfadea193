using System.ComponentModel.DataAnnotations;

namespace Delivery.Orchestrator;

/// <summary>Engine settings, bound from <c>Delivery:Orchestrator</c>.</summary>
public sealed class OrchestratorOptions
{
    public const string Section = "Delivery:Orchestrator";

    /// <summary>Completed executions kept per pipeline config; older ones are deleted (retention).</summary>
    [Range(1, 100_000)] public int ExecutionsPerPipeline { get; set; } = 100;

    /// <summary>How long a completed execution stays readable before retention may delete it.</summary>
    [Range(0, 86_400)] public int RetentionGraceSeconds { get; set; } = 60;

    /// <summary>How often a replica looks for due timers scheduled by others (its own wake it at once).</summary>
    [Range(10, 60_000)] public int TimerPollMs { get; set; } = 250;

    /// <summary>
    /// How long a claimed timer stays with its dispatcher before another may take it: how late a timer held by a replica
    /// that died fires. A dispatcher holds a claim only while it publishes; a claim that outlives a slow publish fires
    /// twice, which the handlers tolerate.
    /// </summary>
    [Range(1_000, 600_000)] public int TimerLeaseMs { get; set; } = 3_000;

    /// <summary>How often a replica looks for outboxes that nobody sent.</summary>
    [Range(100, 60_000)] public int OutboxSweepMs { get; set; } = 1_000;

    /// <summary>How old an unsent outbox must be before a sweeper sends it (its sender normally clears it within milliseconds).</summary>
    [Range(500, 600_000)] public int OutboxAgeMs { get; set; } = 5_000;

    /// <summary>How often one replica (a lease decides which) looks for RUNNING executions with nothing in flight (zombies).</summary>
    [Range(100, 3_600_000)] public int ZombieSweepMs { get; set; } = 30_000;

    /// <summary>
    /// How long a RUNNING execution must have gone unsaved before the zombie sweep looks at it. Orca's zombie check waits
    /// 10 minutes; messages here are consumed in milliseconds, and a re-drive that duplicates a slow message is harmless
    /// (every handler ignores a message its state has moved past), so a minute is enough.
    /// </summary>
    [Range(100, 86_400_000)] public int ZombieAgeMs { get; set; } = 60_000;

    /// <summary>
    /// How long the store remembers that a message's change was saved, so that a redelivered copy is not applied again:
    /// redeliveries (a consumer's death, the outbox sweeper, a broker restart) come within seconds or minutes; an hour is
    /// far beyond them.
    /// </summary>
    [Range(60_000, 86_400_000)] public int AppliedMessagesWindowMs { get; set; } = 3_600_000;

    /// <summary>The most applied message ids remembered per execution within the window; the oldest are forgotten first.</summary>
    [Range(100, 1_000_000)] public int AppliedMessagesMax { get; set; } = 10_000;

    /// <summary>
    /// The largest an execution's stored JSON may be, checked before every save: a change that would exceed it is not
    /// saved, and the stage it concerned fails TERMINAL instead, so no pipeline can grow a document without bound.
    /// </summary>
    [Range(65_536, 512L * 1024 * 1024)] public long MaxExecutionBytes { get; set; } = DefaultMaxExecutionBytes;

    /// <summary>The default <see cref="MaxExecutionBytes"/>: 4 MiB.</summary>
    public const long DefaultMaxExecutionBytes = 4L * 1024 * 1024;

    /// <summary>
    /// How long one run of a task may take, its I/O included (the token it is given is cancelled then, reading response
    /// bodies too): past it the task fails TERMINAL. Tasks that wait run again and again; each run is short.
    /// </summary>
    [Range(100, 3_600_000)] public int TaskRunTimeoutMs { get; set; } = 30_000;

    /// <summary>How many pipelines may run nested through <c>pipeline</c> stages, the top one included; deeper, the stage fails.</summary>
    [Range(1, 1_000)] public int MaxPipelineDepth { get; set; } = 20;

    /// <summary>Expressions one stage start may evaluate, over its whole context (one budget, not per string).</summary>
    [Range(1, 1_000_000)] public int StageExpressionLimit { get; set; } = 2_000;

    /// <summary>Characters the expressions of one stage start may produce together.</summary>
    [Range(1_000, 100_000_000)] public long StageExpressionCharacters { get; set; } = 2_000_000;

    /// <summary>Milliseconds the expressions of one stage start may take together.</summary>
    [Range(10, 60_000)] public int StageExpressionMs { get; set; } = 2_000;

    /// <summary>
    /// The smallest gap, in seconds, allowed between two fires of a <c>cron</c> trigger's schedule, checked when a pipeline
    /// is saved (over its next few fire times). Spinnaker has no such floor; this is Delivery's bound on the executions one
    /// saved pipeline can create by itself: <c>* * * * * ?</c> would start one every second until the pipeline is deleted.
    /// </summary>
    [Range(1, 86_400)] public int MinCronIntervalSeconds { get; set; } = 60;
}
