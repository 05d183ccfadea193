using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>
/// One <c>dotnet Delivery.Standalone.dll</c> process (gate + orchestrator) on a free port, configured
/// through environment variables as a deployment would be.
/// </summary>
public sealed class StandaloneProcess : IAsyncDisposable
{
    private static readonly Lazy<string> Dll = new(LocateDll);

    private readonly ChildProcess _process;

    private StandaloneProcess(string name, int port, ChildProcess process)
    {
        Name = name;
        Port = port;
        _process = process;
        Client = new DeliveryClient(new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(40),
        });
    }

    public string Name { get; }

    public int Port { get; }

    public DeliveryClient Client { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has exited; null before.</summary>
    public int? ExitCode => _process.ExitCode;

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit by itself; false if it still runs.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public string LogPath => _process.LogPath;

    public string Tail(int lines = 30) => _process.Tail(lines);

    /// <summary>Starts the process with <paramref name="settings"/> as <c>Delivery__...</c> style environment variables.</summary>
    public static StandaloneProcess Start(string name, IReadOnlyDictionary<string, string> settings, string logDirectory)
    {
        var port = Machine.FreePort();
        var environment = new Dictionary<string, string?>();
        // Nothing the test runner's environment says about Delivery or ASP.NET Core leaks into the server.
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
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var process = ChildProcess.Start(dotnet, [Dll.Value, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"],
            environment, Path.Combine(logDirectory, $"{name}.log"), Path.GetDirectoryName(Dll.Value));
        return new StandaloneProcess(name, port, process);
    }

    /// <summary>Waits until /health answers 200, which includes MassTransit's bus check (its receive endpoint is consuming).</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited at start:\n{_process.Tail()}");
            }
            try
            {
                using var response = await Client.Http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Name} was not healthy within {timeout.TotalSeconds} s:\n{_process.Tail()}");
    }

    /// <summary>SIGKILL: no shutdown hook runs, unacknowledged messages go back to RabbitMQ.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        if (!await _process.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"{Name} did not exit after SIGKILL.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Http.Dispose();
        await _process.DisposeAsync();
    }

    /// <summary>
    /// services/standalone/bin/CONFIGURATION/net10.0/Delivery.Standalone.dll of this repository, built by
    /// the project reference with the configuration of this test assembly.
    /// </summary>
    private static string LocateDll()
    {
        var configuration = typeof(StandaloneProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Delivery.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException($"No Delivery.sln above {AppContext.BaseDirectory}: cannot find the repository.");
        }
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var dll = Path.Combine(dir.FullName, "services", "standalone", "bin", configuration, framework, "Delivery.Standalone.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} does not exist: build services/standalone with -c {configuration}.", dll);
        }
        return dll;
    }
}
