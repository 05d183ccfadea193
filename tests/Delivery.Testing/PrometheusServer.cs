using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Delivery.Testing;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) on a private port of 127.0.0.1 with its own config and data
/// directory, for a test class or collection (or owned by another fixture). It scrapes every
/// <see cref="ScrapeInterval"/> the targets a test hands to <see cref="ScrapeAsync"/> (file-based discovery, so
/// targets can come after it started, as an operator would point it at new instances). When
/// <see cref="InitializeAsync"/> returns it answers <c>/-/ready</c> at <see cref="BaseUrl"/>; it has no targets yet.
/// <see cref="DisposeAsync"/> kills it and deletes its directory.
/// </summary>
public sealed class PrometheusServer : IAsyncLifetime
{
    private const string Job = "delivery";
    private ChildProcess? _process;
    private HttpClient? _http;

    /// <summary>How often it scrapes each target (also the scrape timeout); 1 s unless set before it starts.</summary>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The port of 127.0.0.1 its HTTP API listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Its HTTP API, <c>http://127.0.0.1:{Port}</c> (empty before it starts).</summary>
    public string BaseUrl => Port == 0 ? "" : $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Its private directory: <c>prometheus.yml</c>, the target files, the TSDB and <c>prometheus.log</c>.</summary>
    public string Directory { get; private set; } = "";

    private string TargetsDirectory => Path.Combine(Directory, "targets");

    private HttpClient Http => _http ?? throw new InvalidOperationException("Prometheus has not started.");

    /// <summary>Writes the config, starts Prometheus and waits until it is ready.</summary>
    /// <exception cref="InvalidOperationException">prometheus is not installed, or exited at start (the message has its last lines).</exception>
    /// <exception cref="TimeoutException">It was not ready within 60 s.</exception>
    public async Task InitializeAsync()
    {
        var binary = Machine.Require("prometheus", "/usr/bin/prometheus", "/usr/local/bin/prometheus");
        Port = Machine.FreePort();
        Directory = Machine.TempDirectory("prometheus");
        System.IO.Directory.CreateDirectory(TargetsDirectory);
        var interval = $"{ScrapeInterval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
        var config = Path.Combine(Directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: {interval}
              scrape_timeout: {interval}
              evaluation_interval: {interval}
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
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        await _process.WaitUntilReadyAsync($"prometheus on {BaseUrl}", () => Machine.AnswersAsync(Http, "/-/ready"), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
    }

    /// <summary>
    /// Adds the <c>/metrics</c> of <paramref name="authority"/> (<c>host:port</c>) to the scraped targets, each series
    /// labelled with <paramref name="labels"/>; <paramref name="name"/> names the target file, so the same name
    /// replaces an earlier target. Prometheus picks it up within a second or two: see <see cref="WaitForTargetAsync"/>.
    /// </summary>
    public async Task ScrapeAsync(string name, string authority, IReadOnlyDictionary<string, string> labels)
    {
        var labelObject = new JsonObject();
        foreach (var (label, value) in labels)
        {
            labelObject[label] = value;
        }
        var targets = new JsonArray(new JsonObject { ["targets"] = new JsonArray(authority), ["labels"] = labelObject });
        // Written aside and moved in, so Prometheus never reads half a file.
        var file = Path.Combine(TargetsDirectory, $"{name}.json");
        await File.WriteAllTextAsync(file + ".tmp", targets.ToJsonString());
        File.Move(file + ".tmp", file, overwrite: true);
    }

    /// <summary>Waits until Prometheus has scraped <paramref name="authority"/> (<c>host:port</c>) successfully at least once.</summary>
    /// <exception cref="TimeoutException">Not within 60 s.</exception>
    public async Task WaitForTargetAsync(string authority)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if ((await QueryAsync($"up{{instance=\"{authority}\"}} == 1")).Count > 0)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"prometheus did not scrape {authority} within 60 s; targets: {await TargetsAsync()}");
    }

    /// <summary>Runs an instant query (<c>/api/v1/query</c>) and returns each series' labels, sample time and value.</summary>
    /// <exception cref="InvalidOperationException">Prometheus answered anything but success (the message has its answer).</exception>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string promQl)
    {
        using var response = await Http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(promQl)}");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (body["status"]?.GetValue<string>() != "success")
        {
            throw new InvalidOperationException($"Query '{promQl}' failed: {body.ToJsonString()}");
        }
        return [.. body["data"]!["result"]!.AsArray().Select(r => new PrometheusSample(
            r!["metric"]!.AsObject(),
            DateTimeOffset.FromUnixTimeMilliseconds((long)(r["value"]![0]!.GetValue<double>() * 1000)),
            double.Parse(r["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture)))];
    }

    /// <summary>The health of each scraped target as Prometheus reports it (<c>/api/v1/targets</c>), for failure messages.</summary>
    public async Task<string> TargetsAsync() => await Http.GetStringAsync("/api/v1/targets");

    /// <summary>Kills Prometheus and deletes its directory.</summary>
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
