using System.Text.Json.Nodes;
using Delivery.Echo.Index;
using Quartz;

namespace Delivery.Echo.Triggers.Cron;

/// <summary>
/// Spinnaker's <c>cron</c> trigger: <c>cronExpression</c> in Quartz syntax (seconds first, e.g.
/// <c>0 0/30 * * * ?</c>) and an optional IANA or Windows <c>timezone</c> (UTC when absent).
/// </summary>
public static class CronTrigger
{
    public const string Type = "cron";

    /// <summary>The parsed schedule, or the problem with the trigger's expression or time zone.</summary>
    public static (CronExpression? Expression, string? Problem) Parse(IndexedTrigger trigger)
    {
        if (trigger.Field("cronExpression") is not { } text || !CronExpression.TryParse(text, out var expression) || expression is null)
        {
            return (null, $"cronExpression '{trigger.Field("cronExpression")}' is not a Quartz cron expression.");
        }
        var zone = TimeZoneInfo.Utc;
        if (trigger.Field("timezone") is { } id && !TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone))
        {
            return (null, $"timezone '{id}' is not a known time zone.");
        }
        return (expression.WithTimeZone(zone!), null);
    }

    /// <summary>
    /// The latest tick after <paramref name="lastFire"/> and at or before <paramref name="now"/> that is at most
    /// <paramref name="grace"/> old: the one missed tick to fire at start-up, or null.
    /// </summary>
    public static DateTimeOffset? MissedTick(CronExpression expression, DateTimeOffset lastFire, DateTimeOffset now, TimeSpan grace)
    {
        // Ticks older than the grace window are not worth walking through.
        var from = lastFire > now - grace ? lastFire : now - grace - TimeSpan.FromSeconds(1);
        DateTimeOffset? missed = null;
        for (var i = 0; i < 100_000 && expression.GetNextValidTimeAfter(from) is { } next && next <= now; i++)
        {
            from = next;
            if (next > lastFire && now - next <= grace)
            {
                missed = next;
            }
        }
        return missed;
    }

    /// <summary>The execution's trigger for the tick <paramref name="tick"/>.</summary>
    public static JsonObject TriggerOf(IndexedTrigger trigger, DateTimeOffset tick)
    {
        var result = (JsonObject)trigger.Trigger.DeepClone();
        result["type"] = Type;
        result["scheduledTime"] = tick.ToUnixTimeMilliseconds();
        return result;
    }
}
