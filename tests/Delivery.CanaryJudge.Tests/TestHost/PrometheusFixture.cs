using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delivery.CanaryJudge.Tests.TestHost;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) on a free port of 127.0.0.1, scraping every second a
/// small <c>/metrics</c> endpoint this fixture serves: an error gauge per scope and two replicas of
/// a request gauge for the canary. Both are stopped (by process id) when the tests are done.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime
{
    public const string Exposition = """
        # TYPE judge_test_errors gauge
        judge_test_errors{scope="baseline",location="local"} 1
        judge_test_errors{scope="canary",location="local"} 4
        # TYPE judge_test_requests gauge
        judge_test_requests{scope="canary",replica="a"} 10
        judge_test_requests{scope="canary",replica="b"} 5

        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "judge-prometheus-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication? _metrics;
    private Process? _prometheus;

    public string BaseUrl { get; private set; } = "";

    /// <summary>A moment from which every second has a scraped value.</summary>
    public DateTimeOffset DataSince { get; private set; }

    public async Task InitializeAsync()
    {
        var binary = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("prometheus was not found; install it: apt-get install -y prometheus");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _metrics = builder.Build();
        _metrics.MapGet("/metrics", () => Results.Text(Exposition, "text/plain; version=0.0.4"));
        await _metrics.StartAsync();
        var target = new Uri(_metrics.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;

        Directory.CreateDirectory(_directory);
        var config = Path.Combine(_directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: judge-test
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _prometheus = Process.Start(new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _prometheus.OutputDataReceived += (_, _) => { };
        _prometheus.ErrorDataReceived += (_, _) => { };
        _prometheus.BeginOutputReadLine();
        _prometheus.BeginErrorReadLine();
        await WaitForDataAsync();
    }

    private async Task WaitForDataAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_prometheus!.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited at start with code {_prometheus.ExitCode}.");
            }
            try
            {
                var answer = JsonNode.Parse(await http.GetStringAsync($"{BaseUrl}/api/v1/query?query=judge_test_errors"));
                if (answer?["data"]?["result"] is JsonArray { Count: > 0 } result)
                {
                    var first = result[0]!["value"]![0]!.GetValue<double>();
                    DataSince = DateTimeOffset.FromUnixTimeMilliseconds((long)(first * 1000)).AddSeconds(2);
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("prometheus did not scrape the test's /metrics within 60 s.");
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is { HasExited: false })
        {
            _prometheus.Kill(entireProcessTree: true);
            await _prometheus.WaitForExitAsync();
        }
        _prometheus?.Dispose();
        if (_metrics is not null)
        {
            await _metrics.DisposeAsync();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
