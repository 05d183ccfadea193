using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Tests.TestHost;
using Delivery.ServiceDefaults;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>Every state change of an execution is published as an event, once, in an order consistent with the changes.</summary>
[Collection(nameof(EngineCollection))]
public sealed class ExecutionEventsTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    [Fact]
    public async Task ForkJoin_PublishesEveryChangeOnceInOrder()
    {
        await using var recorder = await EventRecorder.StartAsync(fixture.Factory.Services);
        var name = await _client.SaveStagesAsync("events-fork-join",
            Wait("1", 0), Wait("2", 0.1, "1"), Wait("3", 0.1, "1"), Wait("4", 0, "2", "3"));

        var id = await _client.TriggerAsync("test", name);
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        var events = await recorder.WaitForAsync(id, e => e is ExecutionCompleted);

        AssertConsistent(id, events);
        Assert.IsType<ExecutionStarted>(events[0]);
        var completed = Assert.IsType<ExecutionCompleted>(events[^1]);
        Assert.Equal(ExecutionStatus.Succeeded, completed.Status);
        Assert.Equal("test", completed.Application);
        Assert.Equal(execution["pipelineConfigId"]?.GetValue<string>(), completed.PipelineConfigId);
        int Started(string refId) => Index<StageStarted>(events, s => s.RefId == refId);
        int Completed(string refId) => Index<StageCompleted>(events, s => s.RefId == refId && s.Status == ExecutionStatus.Succeeded);
        foreach (var refId in new[] { "1", "2", "3", "4" })
        {
            Assert.Single(events.OfType<StageStarted>(), s => s.RefId == refId);
            Assert.Single(events.OfType<StageCompleted>(), s => s.RefId == refId);
            var stageId = DeliveryClient.Stage(execution, refId)["id"]!.GetValue<string>();
            var tasks = events.Select((e, i) => (e, i)).Where(x => x.e is TaskStarted t && t.StageId == stageId || x.e is TaskCompleted c && c.StageId == stageId).ToList();
            Assert.Equal(2, tasks.Count);
            Assert.True(Started(refId) < tasks[0].i && tasks[0].e is TaskStarted && tasks[1].e is TaskCompleted && tasks[1].i < Completed(refId));
        }
        Assert.True(Completed("1") < Started("2") && Completed("1") < Started("3"));
        Assert.True(Started("4") > Completed("2") && Started("4") > Completed("3"), "the join started before both branches completed");
        Assert.True(Completed("4") < events.Count - 1);
    }

    [Fact]
    public async Task Judgment_IsRequestedWithItsInputsAndJudgedByTheUser()
    {
        await using var recorder = await EventRecorder.StartAsync(fixture.Factory.Services);
        var name = await _client.SaveStagesAsync("events-judgment", new JsonObject
        {
            ["refId"] = "1",
            ["type"] = "manualJudgment",
            ["name"] = "Approve",
            ["instructions"] = "Ship it?",
            ["judgmentInputs"] = new JsonArray(new JsonObject { ["value"] = "ship" }, new JsonObject { ["value"] = "hold" }),
        });
        var id = await _client.TriggerAsync("test", name);
        var requested = (JudgmentRequested)(await recorder.WaitForAsync(id, e => e is JudgmentRequested)).Single(e => e is JudgmentRequested);
        Assert.Equal("Ship it?", requested.Instructions);
        Assert.Equal(["ship", "hold"], requested.JudgmentInputs);
        Assert.Equal(ExecutionStatus.Running, requested.Status);

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/pipelines/{id}/stages/{requested.StageId}")
        {
            Content = Json(new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "ship" }),
        };
        request.Headers.Add("X-SPINNAKER-USER", "alice");
        Assert.Equal(HttpStatusCode.OK, (await _client.Http.SendAsync(request)).StatusCode);
        var events = await recorder.WaitForAsync(id, e => e is ExecutionCompleted);

        AssertConsistent(id, events);
        var judged = Assert.Single(events.OfType<StageJudged>());
        Assert.Equal(("continue", "ship", "alice", requested.StageId), (judged.JudgmentStatus, judged.Input, judged.User, judged.StageId));
        var judgedAt = events.ToList().IndexOf(judged);
        Assert.True(events.ToList().IndexOf(requested) < judgedAt);
        Assert.True(judgedAt < Index<StageCompleted>(events, s => s.StageId == requested.StageId && s.Status == ExecutionStatus.Succeeded));
    }

    [Fact]
    public async Task PauseAndResume_AreAnnouncedWithTheUser()
    {
        await using var recorder = await EventRecorder.StartAsync(fixture.Factory.Services);
        var name = await _client.SaveStagesAsync("events-pause", Wait("1", 0.5));
        var id = await _client.TriggerAsync("test", name);
        await _client.WaitForStageStatusAsync(id, "1", "RUNNING");

        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync($"/pipelines/{id}/pause")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync($"/pipelines/{id}/resume")).StatusCode);
        var events = await recorder.WaitForAsync(id, e => e is ExecutionCompleted);

        AssertConsistent(id, events);
        var paused = Assert.Single(events.OfType<ExecutionPaused>());
        var resumed = Assert.Single(events.OfType<ExecutionResumed>());
        Assert.Equal((ExecutionStatus.Paused, ExecutionStatus.Running), (paused.Status, resumed.Status));
        Assert.True(paused.Sequence < resumed.Sequence && resumed.Version > paused.Version);
    }

    [Fact]
    public void EveryEventType_RoundTripsThroughTheOutboxCodec()
    {
        IExecutionEvent[] events =
        [
            new ExecutionStarted("e:2:1", "e", "app", "cfg", 2, 1, 10, "pipe", ExecutionStatus.Running),
            new ExecutionPaused("e:3:1", "e", "app", null, 3, 2, 11, ExecutionStatus.Paused, "bob"),
            new ExecutionResumed("e:4:1", "e", "app", null, 4, 3, 12, ExecutionStatus.Running, "bob"),
            new StageStarted("e:5:1", "e", "app", null, 5, 4, 13, "s", "1", null, "wait", "w", ExecutionStatus.Running),
            new TaskStarted("e:5:2", "e", "app", null, 5, 5, 13, "s", "1", "waitTask", ExecutionStatus.Running),
            new JudgmentRequested("e:5:3", "e", "app", null, 5, 6, 13, "s", "j", ExecutionStatus.Running, "Ship?", ["a", "b"]),
            new StageJudged("e:6:1", "e", "app", null, 6, 7, 14, "s", "j", ExecutionStatus.Running, "stop", "a", "eve"),
            new TaskCompleted("e:6:2", "e", "app", null, 6, 8, 14, "s", "1", "waitTask", ExecutionStatus.Terminal),
            new StageCompleted("e:6:3", "e", "app", null, 6, 9, 14, "s", "1", "p", "wait", "w", ExecutionStatus.Terminal, 14),
            new ExecutionCompleted("e:6:4", "e", "app", null, 6, 10, 14, "pipe", ExecutionStatus.Terminal, "parent", "ps"),
        ];
        foreach (var e in events)
        {
            var decoded = MessageCodec.Decode(JsonNode.Parse(MessageCodec.Encode(e).ToJsonString())!);
            Assert.IsType(e.GetType(), decoded);
            Assert.Equal(JsonSerializer.Serialize(e, e.GetType(), JsonDefaults.Options), JsonSerializer.Serialize(decoded, e.GetType(), JsonDefaults.Options));
        }
    }

    /// <summary>Gapless sequence from 1, one id each, versions and times never going back, ids naming execution, version and position.</summary>
    private static void AssertConsistent(string id, IReadOnlyList<IExecutionEvent> events)
    {
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            Assert.Equal(id, e.ExecutionId);
            var parts = e.EventId.Split(':');
            Assert.Equal((id, e.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), (parts[0], parts[1]));
            if (i > 0)
            {
                var before = events[i - 1];
                Assert.True(e.Version >= before.Version && e.Time >= before.Time, $"{e.GetType().Name} #{e.Sequence} goes back from #{before.Sequence}");
                if (e.Version == before.Version)
                {
                    Assert.Equal(int.Parse(before.EventId.Split(':')[2]) + 1, int.Parse(parts[2]));
                }
                else
                {
                    Assert.Equal("1", parts[2]);
                }
            }
        }
    }

    private static int Index<T>(IReadOnlyList<IExecutionEvent> events, Func<T, bool> match) =>
        events.Select((e, i) => (e, i)).Single(x => x.e is T t && match(t)).i;
}
