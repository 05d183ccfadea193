using System.Diagnostics;
using System.Text.Json;
using Delivery.Clouddriver.Local;
using Delivery.Clouddriver.Tests.TestHost;
using Microsoft.Extensions.Logging.Abstractions;

namespace Delivery.Clouddriver.Tests.Local;

/// <summary>No orphans: a stopping host stops its processes; a starting host stops what a dead host left.</summary>
public sealed class ProcessLifecycleTests
{
    [Fact]
    public async Task Stopping_the_host_stops_every_instance_and_balancer()
    {
        var host = await ClouddriverHost.StartAsync();
        var url = (await host.OkAsync("upsertLoadBalancer", Ops.LoadBalancer("hellostop")))["url"]!.GetValue<string>();
        var name = Ops.Name(await host.OkAsync("createServerGroup", Ops.Hello("hellostop", null, "v1", 2, "hellostop")));
        var pids = (await host.ServerGroupAsync("hellostop", name))["instances"]!.AsArray().Select(i => i!["pid"]!.GetValue<int>()).ToList();
        Assert.Equal(2, Directory.EnumerateFiles(host.StateDirectory, "*.pid").Count());

        await host.DisposeAsync();

        Assert.All(pids, pid => Assert.True(Ops.ProcessGone(pid), $"process {pid} outlived its host"));
        Assert.Empty(Directory.EnumerateFiles(host.StateDirectory, "*.pid"));
        using var client = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url));
    }

    [Fact]
    public void A_starting_host_stops_instances_left_by_a_host_that_is_gone_and_spares_those_of_a_live_host()
    {
        var directory = Path.Combine(Path.GetTempPath(), "delivery-clouddriver-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        using var orphan = Process.Start("sleep", "300");
        using var kept = Process.Start("sleep", "300");
        try
        {
            // The dead host: a pid that does not run (above Linux's pid_max).
            Write(directory, "local__dead-v000-i0.pid", orphan, ownerPid: 99_999_999, ownerStartTicks: 1);
            using var self = Process.GetCurrentProcess();
            Write(directory, "local__live-v000-i0.pid", kept, self.Id, self.StartTime.ToUniversalTime().Ticks);

            var stopped = new PidFiles(directory, NullLogger.Instance).CleanUpOrphans();

            Assert.Equal(1, stopped);
            Assert.True(orphan.WaitForExit(5000), "the orphan still runs");
            Assert.False(kept.HasExited);
            Assert.Equal(["local__live-v000-i0.pid"], Directory.EnumerateFiles(directory).Select(Path.GetFileName));
        }
        finally
        {
            kept.Kill();
            if (!orphan.HasExited)
            {
                orphan.Kill();
            }
        }
    }

    private static void Write(string directory, string file, Process process, int ownerPid, long ownerStartTicks) =>
        File.WriteAllText(Path.Combine(directory, file), JsonSerializer.Serialize(new
        {
            Pid = process.Id,
            StartTicks = process.StartTime.ToUniversalTime().Ticks,
            OwnerPid = ownerPid,
            OwnerStartTicks = ownerStartTicks,
        }));
}
