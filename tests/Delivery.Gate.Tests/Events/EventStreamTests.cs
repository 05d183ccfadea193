using System.Net;
using System.Text.Json.Nodes;
using Delivery.Gate.Events;
using Delivery.Gate.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Gate.Tests.Events;

/// <summary>A gate whose event stream has a small per-client buffer (128 events) and a one-second heartbeat.</summary>
public sealed class EventStreamFactory() : GateFactory(new Dictionary<string, string?>
{
    ["Delivery:Gate:Events:ClientBufferSize"] = "128",
    ["Delivery:Gate:Events:HeartbeatSeconds"] = "1",
});

/// <summary><c>GET /events</c>: every change of an execution reaches the stream, in order, across reconnects, filtered.</summary>
public sealed class EventStreamTests(EventStreamFactory factory) : IClassFixture<EventStreamFactory>
{
    private static readonly string[] ForkJoinRefIds = ["1", "2", "3", "4"];

    private readonly GateClient _client = factory.CreateGateClient();

    private static JsonObject[] ForkJoin(double branchSeconds) =>
        [GateClient.Wait("1", 0), GateClient.Wait("2", branchSeconds, "1"), GateClient.Wait("3", branchSeconds, "1"), GateClient.Wait("4", 0, "2", "3")];

    [Fact]
    public async Task ForkJoin_ClientSeesEveryStageChangeInOrder()
    {
        var app = GateClient.Unique("sse");
        await using var sse = await SseClient.ConnectAsync(_client.Http, $"?application={app}");

        var id = await _client.RunAsync(app, ForkJoin(0.1));
        await sse.ReadUntilAsync(m => m.Event == "ExecutionCompleted");

        var events = sse.Received;
        AssertComplete(id, events);
        Assert.All(events, m => Assert.Equal(m.Json["eventId"]!.GetValue<string>(), m.Id));
        Assert.Equal("SUCCEEDED", events[^1].Status);
        AssertForkJoinStages(events);
    }

    [Fact]
    public async Task Reconnect_WithLastEventId_LeavesNoGaps()
    {
        var app = GateClient.Unique("sse-resume");
        var first = await SseClient.ConnectAsync(_client.Http, $"?application={app}");
        var id = await _client.RunAsync(app, ForkJoin(0.3));
        await first.ReadUntilAsync(m => m.Event == "StageCompleted" && m.RefId == "1");
        var before = first.Received.ToList();
        await first.DisposeAsync();
        // Changes happen while the client is away.
        await _client.WaitForStageStatusAsync(id, "2", "SUCCEEDED");

        await using var second = await SseClient.ConnectAsync(_client.Http, $"?application={app}", before[^1].Id);
        await second.ReadUntilAsync(m => m.Event == "ExecutionCompleted");

        var events = before.Concat(second.Received).ToList();
        AssertComplete(id, events);
        AssertForkJoinStages(events);
    }

    [Fact]
    public async Task Reconnect_WithAnIdNoLongerKept_IsToldToReload()
    {
        var app = GateClient.Unique("sse-reset");
        await using var sse = await SseClient.ConnectAsync(_client.Http, $"?application={app}", "01JUNKNOWNEXECUTION:5:1");
        var id = await _client.RunAsync(app, GateClient.Wait("1", 0));

        var reset = await sse.NextAsync();
        Assert.Equal("reset", reset!.Event);
        Assert.Null(reset.Id);
        await sse.ReadUntilAsync(m => m.Event == "ExecutionCompleted");
        AssertComplete(id, sse.Received.Skip(1).ToList());
    }

    [Fact]
    public async Task Filters_ByApplicationAndExecution()
    {
        var (appA, appB) = (GateClient.Unique("sse-a"), GateClient.Unique("sse-b"));
        await using var all = await SseClient.ConnectAsync(_client.Http);
        await using var onA = await SseClient.ConnectAsync(_client.Http, $"?application={appA}");
        var idA = await _client.RunAsync(appA, GateClient.Judgment("1", "ship"));
        var idB = await _client.RunAsync(appB, GateClient.Wait("1", 0));
        await using var onExecutionA = await SseClient.ConnectAsync(_client.Http, $"?executionId={idA}");
        await using var mismatch = await SseClient.ConnectAsync(_client.Http, $"?executionId={idA}&application={appB}");

        await onA.ReadUntilAsync(m => m.Event == "JudgmentRequested");
        await _client.WaitForStatusAsync(idB, "SUCCEEDED");
        var stageA = GateClient.StageId(await _client.GetExecutionAsync(idA), "1");
        await _client.PatchAsync($"/pipelines/{idA}/stages/{stageA}", new JsonObject { ["judgmentStatus"] = "stop" });
        await onA.ReadUntilAsync(m => m.Event == "ExecutionCompleted");
        await onExecutionA.ReadUntilAsync(m => m.Event == "ExecutionCompleted");
        await all.ReadUntilAsync(m => m.Event == "ExecutionCompleted" && ExecutionOf(m) == idA);

        AssertComplete(idA, onA.Received);
        Assert.All(onExecutionA.Received, m => Assert.Equal(idA, ExecutionOf(m)));
        Assert.Contains(onExecutionA.Received, m => m.Event == "StageJudged" && m.Json["judgmentStatus"]!.GetValue<string>() == "stop");
        Assert.Null(await mismatch.NextAsync(TimeSpan.FromMilliseconds(500), failOnTimeout: false));
        Assert.Contains(all.Received, m => ExecutionOf(m) == idB);
    }

    [Fact]
    public async Task IdleStream_CarriesHeartbeats()
    {
        await using var sse = await SseClient.ConnectAsync(_client.Http, $"?application={GateClient.Unique("quiet")}");

        Assert.Null(await sse.NextAsync(TimeSpan.FromSeconds(2.5), failOnTimeout: false));

        Assert.Contains("heartbeat", sse.Comments);
    }

    [Fact]
    public async Task SlowClient_IsDropped_AndOthersCarryOn()
    {
        var hub = factory.Services.GetRequiredService<EventHub>();
        var app = GateClient.Unique("sse-slow");
        // Never reads: once the transport's buffer and its 128-event buffer are full, gate drops it.
        var slow = await SseClient.ConnectAsync(_client.Http, $"?application={app}");
        await using var reader = await SseClient.ConnectAsync(_client.Http, $"?application={app}");
        var clients = hub.ClientCount;

        // A few executions at a time (a burst the reading client keeps up with), a few hundred kilobytes of events
        // in all: more than the transport and the slow client's buffer hold.
        static JsonObject[] Chain() => [.. Enumerable.Range(1, 5).Select(i => i == 1 ? GateClient.Wait("1", 0) : GateClient.Wait($"{i}", 0, $"{i - 1}"))];
        var ids = new List<string>();
        var completed = 0;
        for (var batch = 0; batch < 12; batch++)
        {
            ids.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _client.RunAsync(app, Chain()))));
            await reader.ReadUntilAsync(m => m.Event == "ExecutionCompleted" && ++completed == ids.Count);
        }
        var other = await _client.RunAsync(app, ForkJoin(0));
        await _client.WaitForStatusAsync(other, "SUCCEEDED");
        await reader.ReadUntilAsync(m => m.Event == "ExecutionCompleted" && ExecutionOf(m) == other);

        Assert.All(ids, id => AssertComplete(id, reader.Received.Where(m => ExecutionOf(m) == id).ToList()));
        Assert.True(hub.ClientCount <= clients - 1, $"{hub.ClientCount} clients stream, {clients} did before");
        // Its stream ends (rather than waiting for more), short of the events the reading client got.
        while (await slow.NextAsync() is not null)
        {
        }
        Assert.True(slow.Received.Count < reader.Received.Count, $"the slow client got {slow.Received.Count} of {reader.Received.Count} events");
        await slow.DisposeAsync();
    }

    [Theory]
    [InlineData("?foo=1", "foo")]
    [InlineData("?application=a%20b", "application")]
    [InlineData("?application=a&application=b", "application")]
    [InlineData("?executionId=", "executionId")]
    public async Task BadQuery_Is400Problem(string query, string mention)
    {
        await Problems.AssertProblemAsync(await _client.Http.GetAsync("/events" + query), HttpStatusCode.BadRequest, mention);
    }

    [Fact]
    public async Task OverlongLastEventId_Is400Problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/events");
        request.Headers.Add("Last-Event-ID", new string('x', 300));

        await Problems.AssertProblemAsync(await _client.Http.SendAsync(request), HttpStatusCode.BadRequest, "Last-Event-ID");
    }

    /// <summary>The execution's events, in order, with nothing missing and nothing twice: ExecutionStarted (sequence 1) to ExecutionCompleted.</summary>
    private static void AssertComplete(string id, IReadOnlyList<SseMessage> events)
    {
        Assert.All(events, m => Assert.Equal(id, ExecutionOf(m)));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(m => m.Sequence));
        Assert.Equal("ExecutionStarted", events[0].Event);
        Assert.Equal("ExecutionCompleted", events[^1].Event);
    }

    /// <summary>Each stage RUNNING then SUCCEEDED, branches after the fork, the join after both.</summary>
    private static void AssertForkJoinStages(List<SseMessage> events)
    {
        int At(string type, string refId) => events.FindIndex(m => m.Event == type && m.RefId == refId);
        foreach (var refId in ForkJoinRefIds)
        {
            var changes = events.Where(m => m.RefId == refId && m.Event is "StageStarted" or "StageCompleted").Select(m => m.Status).ToList();
            Assert.Equal(["RUNNING", "SUCCEEDED"], changes);
        }
        Assert.True(At("StageCompleted", "1") < At("StageStarted", "2") && At("StageCompleted", "1") < At("StageStarted", "3"));
        Assert.True(At("StageStarted", "4") > At("StageCompleted", "2") && At("StageStarted", "4") > At("StageCompleted", "3"));
    }

    private static string ExecutionOf(SseMessage m) => m.Json["executionId"]!.GetValue<string>();
}
