using System.Globalization;
using Delivery.Echo.Index;
using Delivery.Echo.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Delivery.Echo.Triggers.Cron;

/// <summary>
/// Runs the cron triggers of the <see cref="TriggerIndex"/>: Quartz.NET's <see cref="CronExpression"/> gives each
/// trigger's ticks (Quartz syntax, in the trigger's time zone), and this replica checks four times a second for
/// ticks that are due. Quartz's own scheduler is not used: its clustered store needs a database, which Delivery
/// does not have, and a per-replica in-memory scheduler would add nothing to the tick computation. Every replica
/// watches every cron trigger; a tick starts its pipeline once because the launcher claims the event id
/// <c>cron:{trigger}:{tick}</c> in the shared <see cref="IEchoStore"/>. The last tick of each trigger is recorded
/// there too, so a replica starting up fires a tick missed while no echo ran, if it is at most
/// <see cref="EchoOptions.CronMisfireGraceSeconds"/> old. A tick more than five seconds late while echo ran
/// (a stalled process) is skipped, as Quartz's "do nothing" misfire policy does.
/// </summary>
public sealed class CronScheduler(
    TriggerIndex index, TriggerLauncher launcher, IEchoStore store, IOptions<EchoOptions> options, TimeProvider time, ILogger<CronScheduler> logger)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LateLimit = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, Schedule> _schedules = [];
    private readonly Lock _gate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        index.Changed += ReconcileAsync;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Poll, time, stoppingToken);
                var now = time.GetUtcNow();
                List<(Schedule, DateTimeOffset)> due = [];
                lock (_gate)
                {
                    foreach (var schedule in _schedules.Values.Where(s => s.Next is { } next && next <= now))
                    {
                        if (now - schedule.Next!.Value <= LateLimit)
                        {
                            due.Add((schedule, schedule.Next.Value));
                        }
                        schedule.Next = schedule.Expression.GetNextValidTimeAfter(now);
                    }
                }
                foreach (var (schedule, tick) in due)
                {
                    _ = FireAsync(schedule.Trigger, tick, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            index.Changed -= ReconcileAsync;
        }
    }

    /// <summary>Follows the index: new cron triggers are scheduled (after a look for a missed tick), changed ones rescheduled, gone ones dropped.</summary>
    private async Task ReconcileAsync(IReadOnlyList<IndexedTrigger> triggers)
    {
        var added = new List<Schedule>();
        lock (_gate)
        {
            var wanted = triggers.Where(t => string.Equals(t.Type, CronTrigger.Type, StringComparison.OrdinalIgnoreCase)).ToDictionary(t => t.Key);
            foreach (var key in _schedules.Keys.Where(k => !wanted.ContainsKey(k)).ToList())
            {
                _schedules.Remove(key);
            }
            foreach (var (key, trigger) in wanted)
            {
                var signature = $"{trigger.Field("cronExpression")}|{trigger.Field("timezone")}|{trigger.Pipeline.Application}|{trigger.Pipeline.Name}";
                if (_schedules.TryGetValue(key, out var existing) && existing.Signature == signature)
                {
                    continue;
                }
                var (expression, problem) = CronTrigger.Parse(trigger);
                if (expression is null)
                {
                    _schedules.Remove(key);
                    logger.LogWarning("Cron trigger of {Application}/{Pipeline} not scheduled: {Problem}", trigger.Pipeline.Application, trigger.Pipeline.Name, problem);
                    continue;
                }
                var schedule = new Schedule(trigger, expression, signature) { Next = expression.GetNextValidTimeAfter(time.GetUtcNow()) };
                _schedules[key] = schedule;
                if (existing is null)
                {
                    added.Add(schedule);
                }
            }
        }
        foreach (var schedule in added)
        {
            await FireMissedTickAsync(schedule);
        }
    }

    private async Task FireMissedTickAsync(Schedule schedule)
    {
        var grace = TimeSpan.FromSeconds(options.Value.CronMisfireGraceSeconds);
        if (grace == TimeSpan.Zero || await store.GetAsync(LastTickKey(schedule.Trigger.Key)) is not { } text
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var lastMs))
        {
            return;
        }
        var now = time.GetUtcNow();
        if (CronTrigger.MissedTick(schedule.Expression, DateTimeOffset.FromUnixTimeMilliseconds(lastMs), now, grace) is { } missed)
        {
            logger.LogInformation("Cron trigger of {Application}/{Pipeline} missed its tick at {Tick}; firing it once now.",
                schedule.Trigger.Pipeline.Application, schedule.Trigger.Pipeline.Name, missed);
            await FireAsync(schedule.Trigger, missed, CancellationToken.None);
        }
    }

    /// <summary>Starts the trigger's pipeline for one tick (once across replicas) and records the tick.</summary>
    private async Task FireAsync(IndexedTrigger trigger, DateTimeOffset tick, CancellationToken cancellationToken)
    {
        try
        {
            var ms = tick.ToUnixTimeMilliseconds();
            await store.SetAsync(LastTickKey(trigger.Key), ms.ToString(CultureInfo.InvariantCulture));
            await launcher.LaunchAsync($"cron:{trigger.Key}:{ms}", [trigger], t => CronTrigger.TriggerOf(t, tick), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Cron tick {Tick} of {Application}/{Pipeline} failed.", tick, trigger.Pipeline.Application, trigger.Pipeline.Name);
        }
    }

    private static string LastTickKey(string key) => $"cron-last:{key}";

    private sealed class Schedule(IndexedTrigger trigger, CronExpression expression, string signature)
    {
        public IndexedTrigger Trigger { get; } = trigger;

        public CronExpression Expression { get; } = expression;

        public string Signature { get; } = signature;

        public DateTimeOffset? Next { get; set; }
    }
}
