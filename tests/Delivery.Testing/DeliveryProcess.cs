using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Delivery.Testing;

/// <summary>
/// One Delivery host (<c>dotnet {dll}</c>: the standalone host or a single service's host) started by a test as a
/// child process on a free port of 127.0.0.1, configured through environment variables as a deployment would be.
/// Its output goes to <c>{logDirectory}/{name}.log</c>. When the constructor returns it has been started, not
/// necessarily ready: see <see cref="WaitHealthyAsync"/>. <see cref="DisposeAsync"/> kills it with its process tree.
/// </summary>
public abstract class DeliveryProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    /// <summary>
    /// Starts <paramref name="dll"/> with <paramref name="settings"/> (configuration keys such as
    /// <c>Delivery:Bus:Transport</c>) as <c>Delivery__Bus__Transport</c> style environment variables, in the
    /// Production environment with Warning logs.
    /// </summary>
    protected DeliveryProcess(string name, string dll, IReadOnlyDictionary<string, string> settings, string logDirectory)
    {
        Name = name;
        Port = Machine.FreePort();
        var url = $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";
        _process = ChildProcess.Start(Dotnet, [dll, "--urls", url], HostEnvironment(settings),
            Path.Combine(logDirectory, $"{name}.log"), Path.GetDirectoryName(dll));
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(40) };
    }

    /// <summary>The dotnet host running this test (<c>DOTNET_HOST_PATH</c>), else <c>dotnet</c> from PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>The repository this test runs from: the first directory above the test's output with a Delivery.sln.</summary>
    /// <exception cref="InvalidOperationException">There is none.</exception>
    public static string Repository
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Delivery.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException($"No Delivery.sln above {AppContext.BaseDirectory}: cannot find the repository.");
        }
    }

    /// <summary>The configuration (Debug, Release) the tests were built with, which the hosts they start are built with too.</summary>
    public static string Configuration { get; } =
        typeof(DeliveryProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary><c>{Repository}/{projectDirectory}/bin/{Configuration}/{framework}</c>: where a host project of this repository is built to.</summary>
    public static string BuildOutput(string projectDirectory) =>
        Path.Combine(Repository, projectDirectory, "bin", Configuration, new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name);

    /// <summary>The name it was started with (also its log file's name).</summary>
    public string Name { get; }

    /// <summary>The port of 127.0.0.1 it listens on.</summary>
    public int Port { get; }

    /// <summary>The operating system's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>A client of its HTTP API (a 40 s timeout), disposed with it.</summary>
    public HttpClient Http { get; }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has exited; null before.</summary>
    public int? ExitCode => _process.ExitCode;

    /// <summary>The file its output goes to.</summary>
    public string LogPath => _process.LogPath;

    /// <summary>The last lines it printed, for failure messages.</summary>
    public string Tail(int lines = 30) => _process.Tail(lines);

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit by itself; false if it still runs.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>Waits until <c>/health</c> answers 200, which includes MassTransit's bus check (its receive endpoint is consuming).</summary>
    /// <exception cref="InvalidOperationException">It exited meanwhile (the message has its last lines).</exception>
    /// <exception cref="TimeoutException">It was not healthy within <paramref name="timeout"/> (the message has its last lines).</exception>
    public Task WaitHealthyAsync(TimeSpan timeout) =>
        _process.WaitUntilReadyAsync(Name, () => Machine.AnswersAsync(Http, "/health"), timeout, TimeSpan.FromMilliseconds(100));

    /// <summary>SIGKILL to it and everything it started: no shutdown hook runs, unacknowledged messages go back to the broker.</summary>
    /// <exception cref="TimeoutException">It had not exited 10 s after the signal.</exception>
    public async Task KillAsync()
    {
        _process.Kill();
        await ExitedAfterKillAsync();
    }

    /// <summary>
    /// <c>kill -9</c> of this process alone: what it started (a clouddriver's instances) keeps running, orphaned, as
    /// after a real crash.
    /// </summary>
    /// <exception cref="TimeoutException">It had not exited 10 s after the signal.</exception>
    public async Task KillAloneAsync()
    {
        using (var process = Process.GetProcessById(Pid))
        {
            process.Kill(entireProcessTree: false);
        }
        await ExitedAfterKillAsync();
    }

    /// <summary>Kills it with its process tree and disposes <see cref="Http"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
    }

    private async Task ExitedAfterKillAsync()
    {
        if (!await _process.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"{Name} did not exit after SIGKILL.");
        }
    }

    /// <summary>The settings as environment variables; nothing the test runner's own environment says about Delivery or ASP.NET Core leaks in.</summary>
    private static Dictionary<string, string?> HostEnvironment(IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string?>();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var key = (string)variable.Key;
            if (key.StartsWith("Delivery__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase))
            {
                environment[key] = null;
            }
        }
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        return environment;
    }
}
