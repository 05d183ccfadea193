using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Delivery.Integration.Tests.Infrastructure;

namespace Delivery.Integration.Tests.Clouddriver;

/// <summary>
/// One Delivery service host (<c>dotnet Delivery.Gate.Host.dll</c>, <c>Delivery.Orchestrator.Host.dll</c>,
/// <c>Delivery.Clouddriver.Host.dll</c>) on a free port of 127.0.0.1, configured through environment variables as a
/// deployment would be. The hosts are not referenced by this project, so <see cref="LocateAsync"/> builds one whose
/// copy of Delivery's libraries differs from the ones this test assembly was built with.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly SemaphoreSlim Building = new(1, 1);
    private readonly ChildProcess _process;

    private ServiceProcess(string name, int port, ChildProcess process)
    {
        Name = name;
        Port = port;
        _process = process;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(40) };
    }

    public string Name { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    public string LogPath => _process.LogPath;

    public static ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string> settings, string logDirectory)
    {
        var port = Machine.FreePort();
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
        var process = ChildProcess.Start(Dotnet, [dll, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"],
            environment, Path.Combine(logDirectory, $"{name}.log"), Path.GetDirectoryName(dll));
        return new ServiceProcess(name, port, process);
    }

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Waits until <c>/health</c> answers 200 (MassTransit's bus check included).</summary>
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
                using var response = await Http.GetAsync("/health");
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

    /// <summary>
    /// <c>kill -9</c> of this process alone: what it started (a clouddriver's instances) keeps running, orphaned, as
    /// after a real crash.
    /// </summary>
    public async Task KillAloneAsync()
    {
        using (var process = Process.GetProcessById(Pid))
        {
            process.Kill(entireProcessTree: false);
        }
        if (!await _process.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"{Name} did not exit after SIGKILL.");
        }
    }

    public string Tail(int lines = 30) => _process.Tail(lines);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
    }

    /// <summary>
    /// <c>{project}/bin/{Configuration}/{framework}/{assembly}.dll</c> under the repository, built first when it is missing
    /// or its Delivery libraries are not the ones this test run uses.
    /// </summary>
    public static async Task<string> LocateAsync(string projectDirectory, string assembly)
    {
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var project = Path.Combine(Repository, projectDirectory);
        var output = Path.Combine(project, "bin", configuration, framework);
        var dll = Path.Combine(output, assembly + ".dll");
        await Building.WaitAsync();
        try
        {
            if (!File.Exists(dll) || Stale(output))
            {
                var (exitCode, log) = await ChildProcess.RunAsync(Dotnet, ["build", project, "-c", configuration, "--nologo", "-v", "q"],
                    new Dictionary<string, string?>(), TimeSpan.FromMinutes(8));
                if (exitCode != 0 || !File.Exists(dll))
                {
                    throw new InvalidOperationException($"Building {projectDirectory} failed ({exitCode}):\n{log}");
                }
            }
        }
        finally
        {
            Building.Release();
        }
        return dll;
    }

    /// <summary>Whether a Delivery library in <paramref name="output"/> differs from this test run's copy of it.</summary>
    private static bool Stale(string output) =>
        Directory.EnumerateFiles(output, "Delivery.*.dll").Any(built =>
        {
            var ours = Path.Combine(AppContext.BaseDirectory, Path.GetFileName(built));
            return File.Exists(ours) && !SHA256.HashData(File.ReadAllBytes(ours)).AsSpan().SequenceEqual(SHA256.HashData(File.ReadAllBytes(built)));
        });

    private static string Repository
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
}
