using System.Diagnostics.Metrics;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Telemetry;
using Delivery.Orchestrator.Timers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Tests.Timers;

/// <summary>The dispatcher against MassTransit's in-memory bus, whose publish pipe can be made to hang.</summary>
public sealed class TimerDispatcherTests
{
    private const int LeaseMs = 1_000;

    /// <summary>Hears the timers' messages.</summary>
    private sealed class RunTaskHeard : IConsumer<RunTask>
    {
        public static readonly TaskCompletionSource<RunTask> Heard = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Consume(ConsumeContext<RunTask> context)
        {
            Heard.TrySetResult(context.Message);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_publish_that_hangs_is_given_up_after_a_lease_and_the_timer_fires_on_the_next_claim()
    {
        // The first publish hangs until it is cancelled, as a publish into a bus stuck after a broker restart does.
        var publishes = 0;
        await using var provider = new ServiceCollection()
            .AddMetrics()
            .AddMassTransit(bus =>
            {
                bus.AddConsumer<RunTaskHeard>();
                bus.UsingInMemory((context, cfg) =>
                {
                    cfg.ConfigurePublish(publish => publish.UseExecuteAsync(async send =>
                    {
                        if (Interlocked.Increment(ref publishes) == 1)
                        {
                            await Task.Delay(Timeout.Infinite, send.CancellationToken);
                        }
                    }));
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider();
        var control = provider.GetRequiredService<IBusControl>();
        await control.StartAsync();
        try
        {
            var timers = new InMemoryTimerStore();
            await timers.ScheduleAsync("t1", MessageCodec.Encode(new RunTask("e1", "s1", "t1")).ToJsonString(), TimeProvider.System.NowMs());
            using var dispatcher = new TimerDispatcher(timers, control, TimeProvider.System, new EngineMetrics(provider.GetRequiredService<IMeterFactory>()),
                Options.Create(new OrchestratorOptions { TimerLeaseMs = LeaseMs, TimerPollMs = 20 }), NullLogger<TimerDispatcher>.Instance);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await dispatcher.StartAsync(default);

            // Without a bound the dispatcher would wait on the first publish forever.
            var heard = await RunTaskHeard.Heard.Task.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(new RunTask("e1", "s1", "t1"), heard);
            Assert.True(watch.ElapsedMilliseconds >= LeaseMs, $"fired after {watch.ElapsedMilliseconds} ms, before the hung publish's lease ended");
            Assert.True(publishes >= 2);
            await dispatcher.StopAsync(default);
            Assert.False(await timers.ExistsAsync("t1"), "the timer was not acknowledged once published");
        }
        finally
        {
            await control.StopAsync();
        }
    }
}
