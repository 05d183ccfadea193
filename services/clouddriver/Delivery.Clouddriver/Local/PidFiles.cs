using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// A file per running instance naming its process and the host that started it (each with its start
/// time, so a recycled pid is never mistaken for it). A host starting up stops the instances of hosts
/// that are gone, so a crash leaves no orphans holding ports.
/// </summary>
public sealed class PidFiles(string directory, ILogger logger)
{
    private static readonly Process Self = Process.GetCurrentProcess();
    private static readonly long SelfStart = StartTicks(Self) ?? 0;

    private sealed record Entry(int Pid, long StartTicks, int OwnerPid, long OwnerStartTicks);

    public void Write(string account, string instanceId, Process process)
    {
        Directory.CreateDirectory(directory);
        var entry = new Entry(process.Id, StartTicks(process) ?? 0, Self.Id, SelfStart);
        File.WriteAllText(PathOf(account, instanceId), JsonSerializer.Serialize(entry));
    }

    public void Delete(string account, string instanceId)
    {
        try
        {
            File.Delete(PathOf(account, instanceId));
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not delete the pid file of instance {InstanceId}", instanceId);
        }
    }

    /// <summary>Stops the instances left by hosts that no longer run and removes their files; returns how many were stopped.</summary>
    public int CleanUpOrphans()
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }
        var stopped = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*.pid"))
        {
            Entry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<Entry>(File.ReadAllText(file));
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                logger.LogWarning(e, "Removing unreadable pid file {File}", file);
                TryDelete(file);
                continue;
            }
            if (entry is null || IsRunning(entry.OwnerPid, entry.OwnerStartTicks))
            {
                continue;
            }
            if (IsRunning(entry.Pid, entry.StartTicks))
            {
                try
                {
                    using var orphan = Process.GetProcessById(entry.Pid);
                    orphan.Kill(entireProcessTree: true);
                    orphan.WaitForExit(5000);
                    stopped++;
                    logger.LogWarning("Stopped orphaned instance process {Pid} left by a host that is gone ({File})", entry.Pid, Path.GetFileName(file));
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.ComponentModel.Win32Exception)
                {
                    logger.LogWarning(e, "Could not stop orphaned process {Pid}", entry.Pid);
                }
            }
            TryDelete(file);
        }
        return stopped;
    }

    private string PathOf(string account, string instanceId) => Path.Combine(directory, $"{account}__{instanceId}.pid");

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Another host cleaning up at the same time removed it.
        }
    }

    /// <summary>
    /// Whether <paramref name="pid"/> runs and started when recorded. .NET derives a start time from the boot time each
    /// process computes for itself, so two processes see the same start a few microseconds apart: within a second is
    /// the same process (a recycled pid starting in the same second as the one recorded is not a real risk).
    /// </summary>
    private static bool IsRunning(int pid, long startTicks)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && StartTicks(process) is { } started && Math.Abs(started - startTicks) < TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static long? StartTicks(Process process)
    {
        try
        {
            return process.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}
