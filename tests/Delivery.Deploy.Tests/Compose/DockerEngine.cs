using System.Diagnostics;
using Delivery.Deploy.Tests.Infrastructure;

namespace Delivery.Deploy.Tests.Compose;

/// <summary>
/// A Docker engine for the test: the one <c>DELIVERY_DOCKER_HOST</c> names, else a dockerd of its own
/// (Debian's docker.io) with no bridge, no iptables rules and private data, exec and socket paths under /tmp,
/// so it never meets another engine on the machine. Containers must use the host network.
/// </summary>
public sealed class DockerEngine : IAsyncDisposable
{
    private readonly Process? _daemon;
    private readonly string? _root;

    private DockerEngine(string host, Process? daemon, string? root)
    {
        Host = host;
        _daemon = daemon;
        _root = root;
    }

    /// <summary>The engine's address, for DOCKER_HOST.</summary>
    public string Host { get; }

    /// <summary>The Docker CLI: Debian's (its version matches the engine) when installed.</summary>
    public static string Cli { get; } = File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["DOCKER_HOST"] = Host, ["DOCKER_BUILDKIT"] = "1", ["DOCKER"] = Cli };

    public static async Task<DockerEngine> StartAsync()
    {
        if (System.Environment.GetEnvironmentVariable("DELIVERY_DOCKER_HOST") is { Length: > 0 } given)
        {
            var engine = new DockerEngine(given, null, null);
            await engine.WaitUntilAnswersAsync(TimeSpan.FromSeconds(10));
            return engine;
        }
        const string dockerd = "/usr/sbin/dockerd";
        if (!File.Exists(dockerd))
        {
            throw new InvalidOperationException("The compose test needs Debian's docker.io and docker-compose (apt-get install -y docker.io docker-compose); .ci/run installs them.");
        }
        var root = Path.Combine("/tmp", $"delivery-dockerd-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(root);
        var socket = Path.Combine(root, "docker.sock");
        var start = new ProcessStartInfo(dockerd)
        {
            ArgumentList =
            {
                "--bridge=none", "--iptables=false", "--ip-masq=false",
                $"--data-root={root}/data", $"--exec-root={root}/exec", $"--pidfile={root}/docker.pid", $"-H=unix://{socket}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var daemon = Process.Start(start)!;
        var log = File.CreateText(Path.Combine(root, "dockerd.log"));
        daemon.OutputDataReceived += (_, e) => Write(log, e.Data);
        daemon.ErrorDataReceived += (_, e) => Write(log, e.Data);
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        var started = new DockerEngine($"unix://{socket}", daemon, root);
        try
        {
            await started.WaitUntilAnswersAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
        return started;
    }

    /// <summary>Runs the Docker CLI against this engine and requires success.</summary>
    public Task<string> DockerAsync(TimeSpan timeout, params string[] args) => Command.OkAsync(Cli, args, timeout, Environment);

    private async Task WaitUntilAnswersAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var (code, output) = await Command.RunAsync(Cli, ["version", "--format", "{{.Server.Version}}"], TimeSpan.FromSeconds(10), Environment);
            if (code == 0)
            {
                return;
            }
            if (_daemon is { HasExited: true } || watch.Elapsed > timeout)
            {
                throw new InvalidOperationException($"dockerd did not answer on {Host} within {timeout.TotalSeconds} s: {output}" +
                    (_root is null ? "" : $"\n{File.ReadAllText(Path.Combine(_root, "dockerd.log"))}"));
            }
            await Task.Delay(250);
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
            log.Flush();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is null)
        {
            return;
        }
        if (!_daemon.HasExited)
        {
            // SIGTERM: dockerd stops its containers and unmounts their layers before it exits.
            await Command.RunAsync("kill", ["-TERM", _daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _daemon.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _daemon.Kill(entireProcessTree: true);
            }
        }
        _daemon.Dispose();
        // dockerd leaves its default network namespace mounted under the exec root.
        await Command.RunAsync("umount", [Path.Combine(_root!, "exec", "netns", "default")], TimeSpan.FromSeconds(10));
        try
        {
            Directory.Delete(_root!, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Something still mounted after a forced stop; /tmp is cleared with the machine.
        }
    }
}
