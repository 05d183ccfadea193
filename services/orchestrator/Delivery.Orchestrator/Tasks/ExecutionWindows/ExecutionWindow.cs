using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Tasks.ExecutionWindows;

/// <summary>One allowed time range of a day, both ends inclusive to the minute; a range whose end is before its start spans midnight.</summary>
public sealed record TimeWindow(int StartHour, int StartMin, int EndHour, int EndMin);

/// <summary>
/// Spinnaker's <c>restrictedExecutionWindow</c>: <c>whitelist</c> of daily time ranges and <c>days</c> of the week
/// (1 = Sunday ... 7 = Saturday, as Java's Calendar counts them), evaluated in one time zone.
/// </summary>
public sealed record ExecutionWindow(IReadOnlyList<TimeWindow> Whitelist, IReadOnlySet<int> Days)
{
    /// <summary>Reads <c>restrictedExecutionWindow</c>; null with the problem when it is malformed.</summary>
    public static ExecutionWindow? Parse(JsonNode? node, out string? problem)
    {
        problem = null;
        if (node is not JsonObject config)
        {
            problem = "restrictedExecutionWindow must be an object with 'whitelist' and/or 'days'.";
            return null;
        }
        var windows = new List<TimeWindow>();
        foreach (var entry in config["whitelist"] as JsonArray ?? [])
        {
            int? Read(string field, int max)
            {
                var n = ContextValues.Number(entry?[field]) ?? 0;
                return n >= 0 && n <= max && n == Math.Floor(n) ? (int)n : null;
            }
            if (Read("startHour", 23) is not { } sh || Read("startMin", 59) is not { } sm || Read("endHour", 23) is not { } eh || Read("endMin", 59) is not { } em)
            {
                problem = $"restrictedExecutionWindow.whitelist entry {entry?.ToJsonString()} needs startHour/endHour in 0-23 and startMin/endMin in 0-59.";
                return null;
            }
            windows.Add(new TimeWindow(sh, sm, eh, em));
        }
        var days = new HashSet<int>();
        foreach (var day in config["days"] as JsonArray ?? [])
        {
            if (ContextValues.Number(day) is not { } d || d < 1 || d > 7 || d != Math.Floor(d))
            {
                problem = $"restrictedExecutionWindow.days must hold days of the week 1 (Sunday) to 7 (Saturday), not {day?.ToJsonString()}.";
                return null;
            }
            days.Add((int)d);
        }
        if (windows.Count == 0 && days.Count == 0)
        {
            problem = "restrictedExecutionWindow needs at least one whitelist time range or one day.";
            return null;
        }
        return new ExecutionWindow(windows, days);
    }

    /// <summary><paramref name="now"/> when it is inside the window, otherwise when the window next opens.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset now, TimeZoneInfo zone)
    {
        // Whole-day ranges when only days are given; a range across midnight becomes its two halves of the day.
        var ranges = (Whitelist.Count == 0 ? [new TimeWindow(0, 0, 23, 59)] : Whitelist)
            .SelectMany(w =>
            {
                var (start, end) = (w.StartHour * 60 + w.StartMin, w.EndHour * 60 + w.EndMin);
                return start <= end ? new[] { (start, end) } : [(start, 23 * 60 + 59), (0, end)];
            })
            .OrderBy(r => r.Item1)
            .ToList();
        var local = TimeZoneInfo.ConvertTime(now, zone);
        for (var offset = 0; offset <= 7; offset++)
        {
            var date = local.Date.AddDays(offset);
            if (Days.Count > 0 && !Days.Contains((int)date.DayOfWeek + 1))
            {
                continue;
            }
            foreach (var (start, end) in ranges)
            {
                var opens = date.AddMinutes(start);
                var closes = date.AddMinutes(end + 1);
                if (local.DateTime >= opens && local.DateTime < closes)
                {
                    return now;
                }
                if (opens > local.DateTime)
                {
                    return ToInstant(opens, zone);
                }
            }
        }
        throw new InvalidOperationException("Couldn't calculate a suitable time within the given time windows.");
    }

    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        // A time skipped by a daylight-saving change opens when the clock reaches the other side of the gap.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
