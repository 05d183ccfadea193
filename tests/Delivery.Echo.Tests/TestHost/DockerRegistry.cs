using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.Echo.Tests.TestHost;

/// <summary>
/// A real Docker registry (Debian's <c>docker-registry</c>, distribution 2.8) on a free port of 127.0.0.1, storing
/// into a private directory and posting its notifications (the registry's own envelope and content type) to one
/// endpoint. Images are made as OCI layouts by <c>umoci</c> (one tiny layer from a temp directory, nothing pulled)
/// and pushed with <c>skopeo</c>, as a CI job would push them.
/// </summary>
public sealed class DockerRegistry : IAsyncDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(90);

    private readonly Process process;
    private readonly string directory;
    private readonly StringBuilder log;

    public int Port { get; }

    /// <summary>The registry as images name it, and as its events' <c>request.host</c> does: <c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>What the registry logged so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    private DockerRegistry(Process process, string directory, StringBuilder log, int port)
    {
        this.process = process;
        this.directory = directory;
        this.log = log;
        Port = port;
    }

    /// <summary>Starts a registry whose notifications go to <paramref name="notificationUrl"/>; throws, saying what to install, when a tool is missing.</summary>
    public static async Task<DockerRegistry> StartAsync(string notificationUrl)
    {
        var registry = Tool("docker-registry");
        Tool("skopeo");
        Tool("umoci");
        var port = Machine.FreePort();
        var directory = Directory.CreateTempSubdirectory("echo-registry-").FullName;
        var config = Path.Combine(directory, "config.yml");
        // Pull events are left out: a trigger looks at pushes only. Blob pushes (no tag) are kept, echo ignores them.
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "storage")}
            http:
              addr: 127.0.0.1:{port}
              secret: echo-registry-test-secret
            notifications:
              endpoints:
                - name: delivery
                  url: {notificationUrl}
                  timeout: 5s
                  threshold: 3
                  backoff: 1s
                  ignore:
                    actions: [pull]
            """);
        var info = new ProcessStartInfo(registry) { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(config);
        var log = new StringBuilder();
        var process = Process.Start(info)!;
        DataReceivedEventHandler append = (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new DockerRegistry(process, directory, log, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"docker-registry exited at start: {server.Log}");
            }
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/v2/")).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"docker-registry did not answer on port {port} within 30 s: {server.Log}");
    }

    /// <summary>
    /// Makes a one-layer OCI image with umoci (its file names the tag, so every tag has its own digest) and pushes it
    /// as <c>{repository}:{tag}</c> with skopeo. Returns the manifest's digest.
    /// </summary>
    public async Task<string> PushAsync(string repository, string tag)
    {
        var work = Directory.CreateDirectory(Path.Combine(directory, $"image-{Guid.NewGuid():N}")).FullName;
        var content = Directory.CreateDirectory(Path.Combine(work, "content")).FullName;
        await File.WriteAllTextAsync(Path.Combine(content, "release.txt"), $"{repository}:{tag}\n");
        var layout = Path.Combine(work, "layout");
        await RunAsync("umoci", "init", "--layout", layout);
        await RunAsync("umoci", "new", "--image", $"{layout}:{tag}");
        await RunAsync("umoci", "insert", "--rootless", "--image", $"{layout}:{tag}", content, "/app");
        // The policy is the one of this push only: a local, unsigned image into a local registry.
        await RunAsync("skopeo", "copy", "--insecure-policy", "--dest-tls-verify=false", $"oci:{layout}:{tag}", $"docker://{Host}/{repository}:{tag}");
        var index = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json")))!;
        return index["manifests"]!.AsArray()
            .Single(m => m!["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>() == tag)!["digest"]!.GetValue<string>();
    }

    private static string Tool(string name) =>
        File.Exists($"/usr/bin/{name}") ? $"/usr/bin/{name}"
            : throw new InvalidOperationException($"/usr/bin/{name} is missing: apt-get install -y docker-registry skopeo umoci (.ci/run installs them).");

    private async Task RunAsync(string tool, params string[] args)
    {
        var (exitCode, output) = await ChildProcess.RunAsync(Tool(tool), args, new Dictionary<string, string?>(), ToolTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({exitCode}): {output}\nregistry log:\n{Log}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
