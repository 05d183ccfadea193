using System.Diagnostics;
using System.Text.Json.Nodes;
using Delivery.Contracts;

namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>What a finished execution must look like after crashes: nothing lost, nothing done twice.</summary>
public static class ExecutionChecks
{
    /// <summary>
    /// Asserts that the execution SUCCEEDED with every stage and task SUCCEEDED in a consistent
    /// order, and that every stage was announced by StageCompleted events that all carry the
    /// stage's end time (a redelivered copy has the same end time; a second completion would not).
    /// Returns how many redelivered copies of StageCompleted events arrived.
    /// </summary>
    public static async Task<int> AssertSucceededOnceAsync(JsonObject execution, StageCompletedRecorder events, string context)
    {
        var id = execution["id"]!.GetValue<string>();
        Assert.True(DeliveryClient.Status(execution) == "SUCCEEDED", $"{context}: execution {id} is {DeliveryClient.Status(execution)}: {execution.ToJsonString()}");
        var stages = DeliveryClient.Stages(execution).ToList();
        var byRef = stages.ToDictionary(s => s["refId"]!.GetValue<string>());
        var executionStart = DeliveryClient.Time(execution, "startTime");
        var executionEnd = DeliveryClient.Time(execution, "endTime");
        Assert.True(executionStart is not null && executionEnd is not null && executionStart <= executionEnd, $"{context}: execution times {executionStart}..{executionEnd}");
        foreach (var stage in stages)
        {
            var refId = stage["refId"]!.GetValue<string>();
            var start = DeliveryClient.Time(stage, "startTime");
            var end = DeliveryClient.Time(stage, "endTime");
            Assert.True(DeliveryClient.Status(stage) == "SUCCEEDED", $"{context}: stage {refId} is {DeliveryClient.Status(stage)}");
            Assert.True(start is not null && end is not null && start <= end, $"{context}: stage {refId} has times {start}..{end}");
            Assert.True(start >= executionStart && end <= executionEnd, $"{context}: stage {refId} ({start}..{end}) lies outside its execution ({executionStart}..{executionEnd})");
            foreach (var task in stage["tasks"]!.AsArray().Select(t => t!.AsObject()))
            {
                var (taskStart, taskEnd) = (DeliveryClient.Time(task, "startTime"), DeliveryClient.Time(task, "endTime"));
                Assert.True(DeliveryClient.Status(task) == "SUCCEEDED", $"{context}: a task of stage {refId} is {DeliveryClient.Status(task)}");
                Assert.True(taskStart is not null && taskEnd is not null && start <= taskStart && taskStart <= taskEnd && taskEnd <= end,
                    $"{context}: task of stage {refId} has times {taskStart}..{taskEnd} in a stage of {start}..{end}");
            }
            foreach (var requisite in stage["requisiteStageRefIds"]!.AsArray().Select(r => r!.GetValue<string>()))
            {
                var upstreamEnd = DeliveryClient.Time(byRef[requisite], "endTime");
                Assert.True(start >= upstreamEnd, $"{context}: stage {refId} started at {start}, before its requisite {requisite} ended at {upstreamEnd}");
            }
            if (stage["type"]!.GetValue<string>() == "wait")
            {
                var waitMs = (long)(stage["context"]!["waitTime"]!.GetValue<double>() * 1000);
                Assert.True(end - start >= waitMs, $"{context}: wait stage {refId} lasted {end - start} ms, less than its {waitMs} ms");
            }
        }

        // Events are published after the save that completes a stage: give the last ones a moment.
        var watch = Stopwatch.StartNew();
        while (events.DistinctStages(id) < stages.Count && watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(20);
        }
        var received = events.For(id);
        var stageIds = stages.ToDictionary(s => s["id"]!.GetValue<string>());
        foreach (var unknown in received.Where(e => !stageIds.ContainsKey(e.StageId)))
        {
            Assert.Fail($"{context}: StageCompleted for stage {unknown.StageId}, which execution {id} does not have");
        }
        foreach (var (stageId, stage) in stageIds)
        {
            var refId = stage["refId"]!.GetValue<string>();
            var copies = received.Where(e => e.StageId == stageId).ToList();
            Assert.True(copies.Count > 0, $"{context}: no StageCompleted event for stage {refId} of execution {id} (lost)");
            var endTimes = copies.Select(e => e.EndTime).Distinct().ToList();
            Assert.True(endTimes.Count == 1, $"{context}: stage {refId} of execution {id} completed more than once: StageCompleted end times {string.Join(", ", endTimes)}");
            Assert.Equal(DeliveryClient.Time(stage, "endTime"), endTimes[0]);
            Assert.All(copies, e => Assert.Equal(ExecutionStatus.Succeeded, e.Status));
        }
        return received.Count - stageIds.Count;
    }

    /// <summary>
    /// For an execution in any final state (a canceled one, say): asserts that no stage completed
    /// twice. Every StageCompleted received names a stage of the execution, and all copies for one
    /// stage carry one end time and status, the stage's own. Copies that never came are not
    /// counted against it: a canceled stage may end without an event.
    /// </summary>
    public static void AssertCompletedAtMostOnce(JsonObject execution, StageCompletedRecorder events, string context)
    {
        var id = execution["id"]!.GetValue<string>();
        var stageIds = DeliveryClient.Stages(execution).ToDictionary(s => s["id"]!.GetValue<string>());
        foreach (var group in events.For(id).GroupBy(e => e.StageId))
        {
            Assert.True(stageIds.TryGetValue(group.Key, out var stage), $"{context}: StageCompleted for stage {group.Key}, which execution {id} does not have");
            var refId = stage["refId"]!.GetValue<string>();
            var completions = group.Select(e => (e.EndTime, Status: e.Status.ToWire())).Distinct().ToList();
            Assert.True(completions.Count == 1,
                $"{context}: stage {refId} of execution {id} completed more than once: {string.Join(", ", completions.Select(c => $"{c.Status} at {c.EndTime}"))}");
            Assert.True(completions[0] == (DeliveryClient.Time(stage, "endTime"), DeliveryClient.Status(stage)),
                $"{context}: stage {refId} of execution {id} is {DeliveryClient.Status(stage)} ending at {DeliveryClient.Time(stage, "endTime")}, "
                + $"but was announced {completions[0].Status} at {completions[0].EndTime}");
        }
    }
}
