using System.Net;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.Stages.Support;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Stages;

/// <summary>
/// restrictExecutionDuringTimeWindow through the API. The fixture's time zone puts "now" at about 12:00 local
/// time, so a window of 11:00-13:00 is open and one of 15:00-16:00 opens in about three hours.
/// </summary>
[Collection(nameof(GenericStagesCollection))]
public sealed class ExecutionWindowStageTests(GenericStagesFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private static JsonObject Window(int startHour, int endHour, params int[] days) => new()
    {
        ["whitelist"] = startHour < 0
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["startHour"] = startHour, ["startMin"] = 0, ["endHour"] = endHour, ["endMin"] = 0 }),
        ["days"] = new JsonArray([.. days.Select(d => (JsonNode)d)]),
    };

    private static JsonObject Restrict(string refId, JsonObject window) => new()
    {
        ["refId"] = refId,
        ["type"] = "restrictExecutionDuringTimeWindow",
        ["name"] = "Restrict Execution During",
        ["restrictedExecutionWindow"] = window,
    };

    private DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, fixture.Zone);

    [Fact]
    public async Task InsideTheWindow_Succeeds()
    {
        var name = await _client.SaveStagesAsync("window-open", Restrict("1", Window(11, 13)), Wait("2", 0, "1"));

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");

        Assert.Equal("SUCCEEDED", Status(Stage(execution, "1")));
    }

    [Fact]
    public async Task OutsideTheWindow_WaitsForItsOpening_UntilTheRemainingWaitIsSkipped()
    {
        var name = await _client.SaveStagesAsync("window-closed", Restrict("1", Window(15, 16)), Wait("2", 0, "1"));
        var id = await _client.TriggerAsync("test", name);

        var waiting = await _client.WaitForAsync(id, e => Stage(e, "1")["context"]?["scheduledTime"] is not null);
        var stage = Stage(waiting, "1");
        Assert.Equal("RUNNING", Status(stage));
        var opens = DateTimeOffset.FromUnixTimeMilliseconds(stage["context"]!["scheduledTime"]!.GetValue<long>());
        var local = TimeZoneInfo.ConvertTime(opens, fixture.Zone);
        Assert.Equal((15, 0), (local.Hour, local.Minute));
        Assert.Equal(LocalNow.Date, local.Date);
        Assert.Contains("15:00", stage["context"]!["waitingFor"]!.GetValue<string>());

        var response = await _client.PatchAsync($"/pipelines/{id}/stages/{stage["id"]}", new JsonObject { ["skipRemainingWait"] = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _client.WaitForStatusAsync(id, "SUCCEEDED");
    }

    [Fact]
    public async Task OnlyDays_WaitsForTheNextAllowedDay()
    {
        var tomorrow = (int)LocalNow.AddDays(1).DayOfWeek + 1;
        var name = await _client.SaveStagesAsync("window-days", Restrict("1", Window(-1, -1, tomorrow)));
        var id = await _client.TriggerAsync("test", name);

        var waiting = await _client.WaitForAsync(id, e => Stage(e, "1")["context"]?["scheduledTime"] is not null);

        var opens = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(Stage(waiting, "1")["context"]!["scheduledTime"]!.GetValue<long>()), fixture.Zone);
        Assert.Equal(LocalNow.Date.AddDays(1), opens.DateTime);
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Fact]
    public async Task JitterIsSkippedForManualTriggers_WhenSkipManualIsSet()
    {
        var window = Window(11, 13);
        window["jitter"] = new JsonObject { ["enabled"] = true, ["minDelay"] = 30, ["maxDelay"] = 60, ["skipManual"] = true };
        var name = await _client.SaveStagesAsync("window-jitter", Restrict("1", window));

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");

        var stage = Stage(execution, "1");
        Assert.Equal(["suspendExecutionDuringTimeWindow", "waitForJitter"], stage["tasks"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(0, stage["context"]!["waitTime"]!.GetValue<int>());
    }

    [Fact]
    public async Task AStageWithRestrictExecutionDuringTimeWindow_WaitsInABeforeStage()
    {
        using var server = new FakeHttpServer(_ => new FakeResponse(200, "{}"));
        var name = await _client.SaveStagesAsync("window-before-webhook", new JsonObject
        {
            ["refId"] = "1",
            ["type"] = "webhook",
            ["name"] = "notify",
            ["url"] = server.Url("hook").ToString(),
            ["restrictExecutionDuringTimeWindow"] = true,
            ["restrictedExecutionWindow"] = Window(15, 16),
        });
        var id = await _client.TriggerAsync("test", name);

        // The synthetic stage exists once its parent has started.
        var waiting = await _client.WaitForAsync(id, e => e["stages"]!.AsArray().Any(s => s!["refId"]!.GetValue<string>() == "1<1" && Status(s.AsObject()) == "RUNNING"));
        Assert.Equal("restrictExecutionDuringTimeWindow", Stage(waiting, "1<1")["type"]!.GetValue<string>());
        await Task.Delay(100);
        Assert.Empty(server.Requests);

        await _client.PatchAsync($"/pipelines/{id}/stages/{Stage(waiting, "1<1")["id"]}", new JsonObject { ["skipRemainingWait"] = true });
        await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task AnyStageType_WithRestrictExecutionDuringTimeWindow_WaitsInABeforeStage()
    {
        var wait = Wait("1", 0);
        wait["restrictExecutionDuringTimeWindow"] = true;
        wait["restrictedExecutionWindow"] = Window(15, 16);
        var name = await _client.SaveStagesAsync("window-before-wait", wait);
        var id = await _client.TriggerAsync("test", name);

        var waiting = await _client.WaitForAsync(id, e => e["stages"]!.AsArray().Any(s => s!["refId"]!.GetValue<string>() == "1<1" && Status(s.AsObject()) == "RUNNING"));
        Assert.Equal("NOT_STARTED", Status(Stage(waiting, "1")["tasks"]![0]!.AsObject()));

        await _client.PatchAsync($"/pipelines/{id}/stages/{Stage(waiting, "1<1")["id"]}", new JsonObject { ["skipRemainingWait"] = true });
        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("SUCCEEDED", Status(Stage(done, "1")));
    }

    [Fact]
    public async Task MalformedWindow_FailsTheStage()
    {
        var window = new JsonObject { ["whitelist"] = new JsonArray(new JsonObject { ["startHour"] = 25, ["endHour"] = 2 }) };
        var name = await _client.SaveStagesAsync("window-malformed", Restrict("1", window));

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "TERMINAL");

        Assert.Contains("startHour/endHour in 0-23", Stage(execution, "1")["context"]!["exception"]!["details"]!["error"]!.GetValue<string>());
    }
}
