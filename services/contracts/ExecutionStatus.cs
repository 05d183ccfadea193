using System.Text.Json.Serialization;

namespace Delivery.Contracts;

/// <summary>
/// Status of an execution, stage or task, with Spinnaker's names on the wire (e.g. <c>NOT_STARTED</c>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExecutionStatus>))]
public enum ExecutionStatus
{
    /// <summary>Not started yet (or queued behind a concurrent execution).</summary>
    [JsonStringEnumMemberName("NOT_STARTED")] NotStarted,
    /// <summary>Running.</summary>
    [JsonStringEnumMemberName("RUNNING")] Running,
    /// <summary>Paused by a user.</summary>
    [JsonStringEnumMemberName("PAUSED")] Paused,
    /// <summary>Suspended, waiting on something outside the engine.</summary>
    [JsonStringEnumMemberName("SUSPENDED")] Suspended,
    /// <summary>Finished successfully.</summary>
    [JsonStringEnumMemberName("SUCCEEDED")] Succeeded,
    /// <summary>Failed, but configured to let the pipeline continue.</summary>
    [JsonStringEnumMemberName("FAILED_CONTINUE")] FailedContinue,
    /// <summary>Failed and failed the pipeline.</summary>
    [JsonStringEnumMemberName("TERMINAL")] Terminal,
    /// <summary>Canceled by a user or by the failure of another branch.</summary>
    [JsonStringEnumMemberName("CANCELED")] Canceled,
    /// <summary>Skipped (disabled by <c>stageEnabled</c> or skipped by a user).</summary>
    [JsonStringEnumMemberName("SKIPPED")] Skipped,
    /// <summary>Failed and halted its branch without failing the pipeline at once.</summary>
    [JsonStringEnumMemberName("STOPPED")] Stopped,
}

/// <summary>Classifications of <see cref="ExecutionStatus"/> used throughout the engine.</summary>
public static class ExecutionStatusExtensions
{
    /// <summary>True once nothing more will happen (success, failure, cancel or skip).</summary>
    public static bool IsComplete(this ExecutionStatus s) => s is ExecutionStatus.Succeeded or ExecutionStatus.FailedContinue
        or ExecutionStatus.Terminal or ExecutionStatus.Canceled or ExecutionStatus.Skipped or ExecutionStatus.Stopped;

    /// <summary>True for statuses that halt the branch they are on.</summary>
    public static bool IsHalt(this ExecutionStatus s) => s is ExecutionStatus.Terminal or ExecutionStatus.Canceled or ExecutionStatus.Stopped;

    /// <summary>The status as written on the wire, e.g. <c>NOT_STARTED</c>.</summary>
    public static string ToWire(this ExecutionStatus s) => s switch
    {
        ExecutionStatus.NotStarted => "NOT_STARTED",
        ExecutionStatus.FailedContinue => "FAILED_CONTINUE",
        _ => s.ToString().ToUpperInvariant(),
    };

    /// <summary>Parses a wire status such as <c>RUNNING</c> (case-insensitive).</summary>
    public static bool TryParseWire(string value, out ExecutionStatus status)
    {
        foreach (var candidate in Enum.GetValues<ExecutionStatus>())
        {
            if (string.Equals(candidate.ToWire(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    /// <summary>True for statuses that let downstream stages start.</summary>
    public static bool AllowsDownstream(this ExecutionStatus s) => s is ExecutionStatus.Succeeded or ExecutionStatus.FailedContinue or ExecutionStatus.Skipped;
}
