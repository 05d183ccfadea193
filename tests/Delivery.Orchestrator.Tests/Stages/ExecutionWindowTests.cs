using Delivery.Orchestrator.Tasks.ExecutionWindows;

namespace Delivery.Orchestrator.Tests.Stages;

/// <summary>When a <c>restrictedExecutionWindow</c> next opens, at fixed times (days: 1 = Sunday ... 7 = Saturday).</summary>
public sealed class ExecutionWindowTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    // 2024-05-15 is a Wednesday (day 4).
    private static DateTimeOffset At(int day, int hour, int minute) => new(2024, 5, day, hour, minute, 0, TimeSpan.Zero);

    private static ExecutionWindow Window(int[] days, params TimeWindow[] windows) => new(windows, days.ToHashSet());

    [Fact]
    public void InsideARange_IsAllowedNow_IncludingItsLastMinute()
    {
        var window = Window([], new TimeWindow(9, 0, 17, 30));
        Assert.Equal(At(15, 10, 0), window.NextAllowed(At(15, 10, 0), Utc));
        Assert.Equal(At(15, 17, 30), window.NextAllowed(At(15, 17, 30), Utc));
        Assert.Equal(At(16, 9, 0), window.NextAllowed(At(15, 17, 31), Utc));
    }

    [Fact]
    public void BeforeARange_WaitsForItsStart_PickingTheEarliestRange()
    {
        var window = Window([], new TimeWindow(14, 0, 15, 0), new TimeWindow(9, 30, 10, 0));
        Assert.Equal(At(15, 9, 30), window.NextAllowed(At(15, 6, 0), Utc));
        Assert.Equal(At(15, 14, 0), window.NextAllowed(At(15, 11, 0), Utc));
    }

    [Fact]
    public void ARangeAcrossMidnight_CoversBothEndsOfTheDay()
    {
        var window = Window([], new TimeWindow(22, 0, 2, 0));
        Assert.Equal(At(15, 1, 0), window.NextAllowed(At(15, 1, 0), Utc));
        Assert.Equal(At(15, 23, 0), window.NextAllowed(At(15, 23, 0), Utc));
        Assert.Equal(At(15, 22, 0), window.NextAllowed(At(15, 12, 0), Utc));
    }

    [Fact]
    public void Days_SkipToTheNextAllowedDay()
    {
        var weekdaysMorning = Window([2, 3, 4, 5, 6], new TimeWindow(9, 0, 11, 0));
        Assert.Equal(At(20, 9, 0), weekdaysMorning.NextAllowed(At(17, 12, 0), Utc)); // Friday noon -> Monday 09:00
        var sundays = Window([1]);
        Assert.Equal(At(19, 0, 0), sundays.NextAllowed(At(15, 12, 0), Utc));
    }

    [Fact]
    public void TheWindowIsReadInTheConfiguredZone()
    {
        var plusTwo = TimeZoneInfo.CreateCustomTimeZone("Test/PlusTwo", TimeSpan.FromHours(2), "+2", "+2");
        var window = Window([], new TimeWindow(9, 0, 10, 0));
        // 06:00 UTC is 08:00 at +2: the window opens at 09:00 local, 07:00 UTC.
        Assert.Equal(At(15, 7, 0), window.NextAllowed(At(15, 6, 0), plusTwo).ToUniversalTime());
    }

    [Theory]
    [InlineData("{\"whitelist\": []}", "at least one")]
    [InlineData("{\"days\": [0]}", "1 (Sunday) to 7 (Saturday)")]
    [InlineData("{\"whitelist\": [{\"startHour\": 9, \"startMin\": 60, \"endHour\": 10, \"endMin\": 0}]}", "startMin/endMin in 0-59")]
    public void MalformedWindows_AreRejected(string json, string problem)
    {
        Assert.Null(ExecutionWindow.Parse(System.Text.Json.Nodes.JsonNode.Parse(json), out var message));
        Assert.Contains(problem, message);
    }
}
