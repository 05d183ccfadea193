using System.Diagnostics.Metrics;
using Delivery.Contracts;
using Delivery.ServiceDefaults.Telemetry;

namespace Delivery.Orchestrator.Telemetry;

/// <summary>
/// The engine's instruments, on the <c>Delivery.Orchestrator</c> meter (exported at <c>/metrics</c>
/// as <c>delivery_executions_started_total</c>, <c>delivery_executions_completed_total{status}</c>,
/// <c>delivery_stage_duration_seconds{stage_type,status}</c>, <c>delivery_timer_lag_seconds</c>
/// and <c>delivery_zombie_sweeps_total</c>). Engine handlers record through
/// <see cref="Engine.ExecutionFrame.AfterSave"/>, so a change retried after a save conflict counts once.
/// A zombie is Orca's: a RUNNING execution with no message in flight (its <c>queue.zombies</c> metric,
/// in Spinnaker's zombie-executions runbook).
/// </summary>
public sealed class EngineMetrics
{
    public const string MeterName = "Delivery.Orchestrator";

    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<double> _timerLag;
    private readonly Counter<long> _zombieSweeps;

    public EngineMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _started = meter.CreateCounter<long>("delivery.executions.started", "{execution}", "Executions that started running.");
        _completed = meter.CreateCounter<long>("delivery.executions.completed", "{execution}", "Executions that reached a final status, by status.");
        _stageDuration = meter.CreateHistogram("delivery.stage.duration", "s", "Time from a stage's start to its final status, by stage type and status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryTelemetry.DurationBuckets });
        _timerLag = meter.CreateHistogram("delivery.timer.lag", "s", "Time from a timer's due time to its message being published.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryTelemetry.LagBuckets });
        _zombieSweeps = meter.CreateCounter<long>("delivery.zombie.sweeps", "{execution}", "Running executions found with nothing in flight, and re-driven or ended.");
    }

    public void ExecutionStarted() => _started.Add(1);

    public void ExecutionCompleted(ExecutionStatus status) => _completed.Add(1, new KeyValuePair<string, object?>("status", status.ToWire()));

    /// <summary>Records a stage that ended; <paramref name="startMs"/> and <paramref name="endMs"/> are Unix milliseconds.</summary>
    public void StageFinished(string stageType, ExecutionStatus status, long? startMs, long endMs)
    {
        if (startMs is { } start)
        {
            _stageDuration.Record(Math.Max(0, endMs - start) / 1000.0,
                new KeyValuePair<string, object?>("stage_type", stageType), new KeyValuePair<string, object?>("status", status.ToWire()));
        }
    }

    /// <summary>Records a timer published at <paramref name="firedMs"/> that was due at <paramref name="dueMs"/> (Unix milliseconds).</summary>
    public void TimerFired(long dueMs, long firedMs) => _timerLag.Record(Math.Max(0, firedMs - dueMs) / 1000.0);

    public void ZombieSwept(int executions = 1) => _zombieSweeps.Add(executions);
}
