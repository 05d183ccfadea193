using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Delivery.Bench;

/// <summary>A Delivery host (standalone, gate or orchestrator) run as a child process on a free loopback port, its output sent to a log file.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly HashSet<Process> Running = [];
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, StreamWriter log, Uri baseAddress, long startedAt)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        StartedAt = startedAt;
    }

    public Uri BaseAddress { get; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> taken just before the process was started.</summary>
    public long StartedAt { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ServerProcess Start(string serverDll, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(serverDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var sync = TextWriter.Synchronized(log);
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => WriteLog(sync, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLog(sync, e.Data);
        var startedAt = Stopwatch.GetTimestamp();
        process.Start();
        lock (Running)
        {
            Running.Add(process);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, log, baseAddress, startedAt);
    }

    /// <summary>Polls <c>/health</c> until it answers 200; returns milliseconds from process start to that answer.</summary>
    public async Task<double> WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(5),
        };
        while (Stopwatch.GetElapsedTime(StartedAt) < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was healthy; see its log.");
            }
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(StartedAt).TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
            {
                // Listening but not answering yet (a loaded machine): the overall timeout decides.
            }
            await Task.Delay(2);
        }
        throw new TimeoutException($"The server did not answer /health with 200 within {timeout.TotalSeconds:0} s.");
    }

    /// <summary>Resident set size of the server process (VmRSS in /proc/PID/status), in MB.</summary>
    public double RssMb() => ReadStatusKb("VmRSS") / 1024.0;

    /// <summary>CPU time (user + system) the server process has used so far, in ms (/proc/PID/stat, 10 ms ticks).</summary>
    public double CpuMs()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        // Fields after the command name, which is in parentheses and may contain spaces: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000.0 / ClockTicksPerSecond;
    }

    /// <summary>USER_HZ, which is 100 on every Linux architecture .NET runs on.</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>Peak resident set size of the server process (VmHWM), in MB.</summary>
    public double PeakRssMb() => ReadStatusKb("VmHWM") / 1024.0;

    private long ReadStatusKb(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var parts = line[(field.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"/proc/{_process.Id}/status has no {field}.");
    }

    /// <summary>Kills every server still running (the benchmark is being stopped).</summary>
    public static void KillAll()
    {
        lock (Running)
        {
            foreach (var process in Running)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
            Running.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (Running)
        {
            Running.Remove(_process);
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already gone.
        }
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static void WriteLog(TextWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        try
        {
            log.WriteLine(line);
        }
        catch (ObjectDisposedException)
        {
            // The last lines of a process being stopped.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
