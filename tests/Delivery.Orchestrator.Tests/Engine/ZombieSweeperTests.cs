using System.Diagnostics.Metrics;
using Delivery.Contracts;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Telemetry;
using Delivery.Orchestrator.Tests.TestHost;
using Delivery.Orchestrator.Timers;
using Microsoft.Extensions.DependencyInjection;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// Liveness (issue 7, section 4): a RUNNING execution with nothing in flight, its messages lost, is re-driven by the zombie
/// sweep and ends, or is ended TERMINAL with the reason when nothing can move it; each is counted in
/// <c>delivery_zombie_sweeps_total</c>. An execution whose next step is a scheduled timer is left alone.
/// </summary>
public sealed class ZombieSweeperTests : IDisposable
{
    private readonly StandaloneFactory _factory = new(settings: new Dictionary<string, string?>
    {
        ["Delivery:Orchestrator:ZombieAgeMs"] = "300",
        ["Delivery:Orchestrator:ZombieSweepMs"] = "100",
    });
    private readonly MeterListener _listener = new();
    private long _zombies;

    public ZombieSweeperTests()
    {
        _factory.CreateClient().Dispose();
        var meters = _factory.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "delivery.zombie.sweeps" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _zombies, value));
        _listener.Start();
    }

    /// <summary>A sweep comes within half a second; the first test of a host also waits for its start on a loaded machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private IExecutionStore Store => _factory.Services.GetRequiredService<IExecutionStore>();

    [Fact]
    public async Task StageWhoseStartWasLost_IsStarted()
    {
        var client = _factory.CreateDeliveryClient();
        var id = await client.TriggerAsync("test", await client.SaveStagesAsync("zombie-start", Wait("1", 30), Wait("2", 0, "1")));
        await client.WaitForStageStatusAsync(id, "1", "RUNNING");

        // Stage 1 ended and its StartStage for stage 2 was lost with the broker: nothing is in flight.
        var execution = (await Store.GetAsync(id))!;
        var first = execution.Stages.Single(s => s.RefId == "1");
        first.Status = ExecutionStatus.Succeeded;
        first.Tasks.ForEach(t => t.Status = ExecutionStatus.Succeeded);
        Assert.True(await Store.TrySaveAsync(execution, "lost", outbox: null));
        await _factory.Services.GetRequiredService<ITimerStore>().CancelAsync(StageGraph.TimerKey(id, first.Id, first.Tasks[0].Id));

        var done = await client.WaitForStatusAsync(id, "SUCCEEDED", Patience);
        Assert.Equal("SUCCEEDED", Status(Stage(done, "2")));
        Assert.True(Interlocked.Read(ref _zombies) >= 1);
    }

    [Fact]
    public async Task TaskWhoseTimerWasLost_RunsAgain()
    {
        var client = _factory.CreateDeliveryClient();
        var id = await client.TriggerAsync("test", await client.SaveStagesAsync("zombie-timer", Wait("1", 1)));
        var running = await client.WaitForStageStatusAsync(id, "1", "RUNNING");
        var key = StageGraph.TimerKey(id, Stage(running, "1")["id"]!.GetValue<string>(), "1");
        var timers = _factory.Services.GetRequiredService<ITimerStore>();
        // The timer is scheduled just after the change that made the stage RUNNING is saved.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await timers.ExistsAsync(key) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
        await timers.CancelAsync(key);

        await client.WaitForStatusAsync(id, "SUCCEEDED", Patience);
        Assert.True(Interlocked.Read(ref _zombies) >= 1);
    }

    [Fact]
    public async Task NothingCanRun_EndsTerminalWithTheReason()
    {
        var client = _factory.CreateDeliveryClient();
        var id = await client.TriggerAsync("test", await client.SaveStagesAsync("zombie-stuck", Wait("1", 30)));
        await client.WaitForStageStatusAsync(id, "1", "RUNNING");

        // A stage left PAUSED in a RUNNING execution, its timer gone: no message can move it.
        var execution = (await Store.GetAsync(id))!;
        var stage = execution.Stages.Single();
        stage.Status = ExecutionStatus.Paused;
        stage.Tasks.ForEach(t => t.Status = ExecutionStatus.Paused);
        Assert.True(await Store.TrySaveAsync(execution, "stuck", outbox: null));
        await _factory.Services.GetRequiredService<ITimerStore>().CancelAsync(StageGraph.TimerKey(id, stage.Id, stage.Tasks[0].Id));

        var done = await client.WaitForStatusAsync(id, "TERMINAL", Patience);
        Assert.Contains("zombie sweep", done["cancellationReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(Interlocked.Read(ref _zombies) >= 1);
    }

    [Fact]
    public async Task ExecutionWaitingOnItsTimer_IsLeftAlone()
    {
        var client = _factory.CreateDeliveryClient();
        var id = await client.TriggerAsync("test", await client.SaveStagesAsync("not-a-zombie", Wait("1", 1.5)));
        await client.WaitForStageStatusAsync(id, "1", "RUNNING");
        var sweeper = _factory.Services.GetRequiredService<ZombieSweeper>();
        var before = Interlocked.Read(ref _zombies);

        // Past the idle age, swept by hand too: its timer is in flight, so nothing is re-sent and nothing counted.
        await Task.Delay(600);
        await sweeper.SweepOnceAsync(CancellationToken.None);

        Assert.Equal(before, Interlocked.Read(ref _zombies));
        Assert.Equal("RUNNING", Status(await client.GetExecutionAsync(id)));
        await client.WaitForStatusAsync(id, "SUCCEEDED");
    }

    public void Dispose()
    {
        _listener.Dispose();
        _factory.Dispose();
    }
}
