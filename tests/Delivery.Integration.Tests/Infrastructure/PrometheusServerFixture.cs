using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) on a free port of 127.0.0.1, with a private
/// config and data directory. It scrapes every second whatever targets a test hands to
/// <see cref="ScrapeAsync"/> (file-based discovery, so targets can come after it started).
/// </summary>
public sealed class PrometheusServerFixture : IAsyncLifetime
{
    private const string Job = "delivery";
    private ChildProcess? _process;
    private HttpClient? _http;

    public int Port { get; private set; }

    public string Directory { get; private set; } = "";

    private string TargetsDirectory => Path.Combine(Directory, "targets");

    private HttpClient Http => _http ?? throw new InvalidOperationException("Prometheus has not started.");

    public async Task InitializeAsync()
    {
        var binary = Machine.Require("prometheus", "/usr/bin/prometheus");
        Port = Machine.FreePort();
        Directory = Machine.TempDirectory("prometheus");
        System.IO.Directory.CreateDirectory(TargetsDirectory);
        var config = Path.Combine(Directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: {Job}
                metrics_path: /metrics
                file_sd_configs:
                  - files: ['{TargetsDirectory}/*.json']
                    refresh_interval: 1s
            """);
        _process = ChildProcess.Start(binary,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(Directory, "data")}",
             $"--web.listen-address=127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}", "--log.level=warn"],
            new Dictionary<string, string?>(), Path.Combine(Directory, "prometheus.log"), Directory);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(10) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited at start:\n{_process.Tail()}");
            }
            try
            {
                using var ready = await Http.GetAsync("/-/ready");
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
        throw new TimeoutException($"prometheus on port {Port} was not ready within 30 s:\n{_process.Tail()}");
    }

    /// <summary>Adds <c>127.0.0.1:<paramref name="port"/></c> to the scraped targets, labelled <c>instance_name</c>=<paramref name="name"/>.</summary>
    public async Task ScrapeAsync(string name, int port)
    {
        var targets = new JsonArray(new JsonObject
        {
            ["targets"] = new JsonArray($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"),
            ["labels"] = new JsonObject { ["instance_name"] = name },
        });
        // Written aside and moved in, so Prometheus never reads half a file.
        var file = Path.Combine(TargetsDirectory, $"{name}.json");
        await File.WriteAllTextAsync(file + ".tmp", targets.ToJsonString());
        File.Move(file + ".tmp", file, overwrite: true);
    }

    /// <summary>
    /// Runs an instant query (<c>/api/v1/query</c>) and returns each series' labels and value;
    /// fails when Prometheus answers anything but success.
    /// </summary>
    public async Task<IReadOnlyList<(JsonObject Labels, double Value)>> QueryAsync(string promQl)
    {
        using var response = await Http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(promQl)}");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(body["status"]?.GetValue<string>() == "success", $"Query '{promQl}' failed: {body.ToJsonString()}");
        return [.. body["data"]!["result"]!.AsArray().Select(r => (
            r!["metric"]!.AsObject(),
            double.Parse(r["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture)))];
    }

    /// <summary>The health of each scraped target as Prometheus reports it (<c>/api/v1/targets</c>), for failure messages.</summary>
    public async Task<string> TargetsAsync() => await Http.GetStringAsync("/api/v1/targets");

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        Machine.DeleteDirectory(Directory);
    }
}
