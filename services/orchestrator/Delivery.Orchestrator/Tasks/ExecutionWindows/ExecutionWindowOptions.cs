namespace Delivery.Orchestrator.Tasks.ExecutionWindows;

/// <summary>Settings of <c>restrictExecutionDuringTimeWindow</c>, bound from <c>Delivery:ExecutionWindow</c>.</summary>
public sealed class ExecutionWindowOptions
{
    public const string Section = "Delivery:ExecutionWindow";

    /// <summary>
    /// The time zone windows are read in (an IANA or Windows id, Orca's <c>tasks.execution-window.timezone</c>);
    /// empty for the server's local zone (<see cref="TimeProvider.LocalTimeZone"/>).
    /// </summary>
    public string? TimeZone { get; set; }

    public static bool IsValidZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return true;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
    }
}
