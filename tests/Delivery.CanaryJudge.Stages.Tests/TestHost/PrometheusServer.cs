using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Delivery.CanaryJudge.Stages.Tests.TestHost;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) on a free port of 127.0.0.1, scraping every 500 ms the targets a test
/// hands to <see cref="ScrapeAsync"/> (file-based discovery, as an operator would point it at the local balancers).
/// Stopped by its process id.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "canary-stages-prometheus-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    public string BaseUrl { get; private set; } = "";

    private string TargetsDirectory => Path.Combine(_directory, "targets");

    public async Task StartAsync()
    {
        var binary = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("prometheus was not found; install it: apt-get install -y prometheus");
        Directory.CreateDirectory(TargetsDirectory);
        var config = Path.Combine(_directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 500ms
              scrape_timeout: 500ms
            scrape_configs:
              - job_name: local-balancers
                file_sd_configs:
                  - files: ['{TargetsDirectory}/*.json']
                    refresh_interval: 1s
            """);
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _process = Process.Start(new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited at start with code {_process.ExitCode}.");
            }
            try
            {
                using var ready = await http.GetAsync($"{BaseUrl}/-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"prometheus on {BaseUrl} was not ready within 30 s.");
    }

    /// <summary>Scrapes a local balancer (its <c>/metrics</c>), labelled with its account as the local source expects.</summary>
    public async Task ScrapeAsync(string name, Uri balancer, string account)
    {
        var targets = new JsonArray(new JsonObject
        {
            ["targets"] = new JsonArray(balancer.Authority),
            ["labels"] = new JsonObject { ["account"] = account },
        });
        // Written aside and moved in, so Prometheus never reads half a file.
        var file = Path.Combine(TargetsDirectory, $"{name}.json");
        await File.WriteAllTextAsync(file + ".tmp", targets.ToJsonString());
        File.Move(file + ".tmp", file, overwrite: true);
    }

    /// <summary>Waits until Prometheus has scraped <paramref name="balancer"/> at least once.</summary>
    public async Task WaitForTargetAsync(Uri balancer)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var query = Uri.EscapeDataString($"up{{instance=\"{balancer.Authority}\"}} == 1");
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            var answer = JsonNode.Parse(await http.GetStringAsync($"{BaseUrl}/api/v1/query?query={query}"));
            if (answer?["data"]?["result"] is JsonArray { Count: > 0 })
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"prometheus did not scrape {balancer} within 20 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A port nothing listens on (right after this call).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
