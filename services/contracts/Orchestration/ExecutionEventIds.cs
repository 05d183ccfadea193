using System.Globalization;

namespace Delivery.Contracts.Orchestration;

/// <summary>The form of <see cref="IExecutionEvent.EventId"/>.</summary>
public static class ExecutionEventIds
{
    /// <summary>
    /// <c>{executionId}:{version}:{position}</c>, where position counts the events of one save from 1: the
    /// same inputs always give the same id, so a resent event keeps its id.
    /// </summary>
    public static string Of(string executionId, long version, int position) =>
        string.Create(CultureInfo.InvariantCulture, $"{executionId}:{version}:{position}");
}
