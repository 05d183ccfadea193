using System.Diagnostics;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Local;

/// <summary>One instance of a local server group: an OS process listening on its own loopback port.</summary>
public sealed class LocalInstance
{
    // Inherited settings that would make an ASP.NET instance ignore PORT and bind the host's own port.
    private static readonly string[] HostBindings = ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "URLS", "HTTP_PORTS"];

    private readonly Process _process;
    private readonly Action _changed;
    private int _probing;
    private volatile bool _probeUp;
    private volatile bool _down;
    private volatile bool _stopping;
    private int _inFlight;

    private LocalInstance(string id, int port, Process process, ConsoleBuffer stdout, ConsoleBuffer stderr, Action changed)
    {
        Id = id;
        Port = port;
        _process = process;
        Stdout = stdout;
        Stderr = stderr;
        _changed = changed;
    }

    public string Id { get; }

    public int Port { get; }

    public int Pid { get; private set; }

    public DateTimeOffset LaunchTime { get; } = DateTimeOffset.UtcNow;

    public ConsoleBuffer Stdout { get; }

    public ConsoleBuffer Stderr { get; }

    public bool Exited { get; private set; }

    public DateTimeOffset? ExitTime { get; private set; }

    public int? ExitCode { get; private set; }

    /// <summary>Whether its health check ever answered 2xx.</summary>
    public bool EverUp { get; private set; }

    /// <summary>Whether the supervisor counted its exit (before it was ever Up) in its server group's crash back-off.</summary>
    internal bool CountedAsCrash { get; set; }

    /// <summary>Running and healthy: a balancer may send it requests (when its server group is enabled).</summary>
    public bool Routable => !Exited && !_stopping && _probeUp && !_down;

    /// <summary>Being stopped (taken out of traffic, draining): no longer counts towards its server group's capacity.</summary>
    public bool Stopping => _stopping;

    public InstanceHealth Health(bool serverGroupDisabled) =>
        Exited || _down || _stopping ? InstanceHealth.Down
        : !_probeUp ? InstanceHealth.Starting
        : serverGroupDisabled ? InstanceHealth.OutOfService
        : InstanceHealth.Up;

    /// <summary>Starts the artifact's process with <c>PORT</c> set; throws <see cref="System.ComponentModel.Win32Exception"/> when the command cannot be run.</summary>
    public static LocalInstance Start(string id, ProcessArtifact artifact, IReadOnlyDictionary<string, string>? env, int consoleChars, Action changed)
    {
        var port = FreePorts.Next();
        var info = new ProcessStartInfo(artifact.Command)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in artifact.Args ?? [])
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var name in HostBindings)
        {
            info.Environment.Remove(name);
        }
        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var instance = new LocalInstance(id, port, process, new ConsoleBuffer(consoleChars), new ConsoleBuffer(consoleChars), changed);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) instance.Stdout.Append(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) instance.Stderr.Append(e.Data); };
        process.Exited += (_, _) => instance.OnExited();
        process.Start();
        instance.Pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return instance;
    }

    internal Process Process => _process;

    /// <summary>Calls the health check unless a call is still running; the state changes when the answer comes.</summary>
    public void Probe(HttpClient http, string path, TimeSpan timeout)
    {
        if (Exited || Interlocked.Exchange(ref _probing, 1) == 1)
        {
            return;
        }
        _ = ProbeAsync(http, path, timeout);
    }

    private async Task ProbeAsync(HttpClient http, string path, TimeSpan timeout)
    {
        bool healthy;
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            using var response = await http.GetAsync($"http://127.0.0.1:{Port}{path}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
            healthy = response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            healthy = false;
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
        var wasRoutable = Routable;
        if (healthy)
        {
            _probeUp = true;
            _down = false;
            EverUp = true;
        }
        else if (EverUp)
        {
            _down = true;
        }
        if (wasRoutable != Routable)
        {
            _changed();
        }
    }

    /// <summary>A balancer could not connect: no more traffic until the health check answers again.</summary>
    public void ReportConnectFailure()
    {
        if (!_down)
        {
            _down = true;
            _changed();
        }
    }

    /// <summary>A balancer is forwarding a request to the instance (until <see cref="EndRequest"/>).</summary>
    public void BeginRequest() => Interlocked.Increment(ref _inFlight);

    public void EndRequest() => Interlocked.Decrement(ref _inFlight);

    /// <summary>
    /// Takes the instance out of traffic, lets the requests balancers already sent it finish (at most
    /// <paramref name="drain"/>), then kills it, so scaling down or terminating costs clients nothing.
    /// </summary>
    public async Task StopAsync(TimeSpan drain)
    {
        if (!_stopping)
        {
            _stopping = true;
            _changed();
        }
        var deadline = DateTimeOffset.UtcNow + drain;
        while (Volatile.Read(ref _inFlight) > 0 && !Exited && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        Kill();
    }

    /// <summary>Stops the process and everything it started, at once.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>Waits for the process to exit, at most <paramref name="timeout"/>; true when it did.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void OnExited()
    {
        try
        {
            ExitCode = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            ExitCode = null;
        }
        ExitTime = DateTimeOffset.UtcNow;
        Exited = true;
        _changed();
    }
}
