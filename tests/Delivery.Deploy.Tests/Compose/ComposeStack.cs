using System.Diagnostics;
using System.Globalization;
using Delivery.Deploy.Tests.Infrastructure;

namespace Delivery.Deploy.Tests.Compose;

/// <summary>
/// The whole distributed Delivery as a newcomer runs it, on the test's own engine: the local base images
/// (docker/local-base.sh), one publish of every host (docker/publish.sh, no build: the test project built them),
/// the image (docker/Dockerfile, prebuilt mode), then <c>docker-compose up</c> with docker-compose.hostnet.yml,
/// every server on a private port of 127.0.0.1. Each step's duration is kept for the report.
/// </summary>
public sealed class ComposeStack : IAsyncDisposable
{
    private static readonly string[] PortNames =
    [
        "GATE", "ORCHESTRATOR_1", "ORCHESTRATOR_2", "CLOUDDRIVER_1", "CLOUDDRIVER_2", "ECHO", "CANARY_JUDGE",
        "REDIS", "RABBITMQ", "RABBITMQ_DIST", "EPMD",
    ];

    private readonly Dictionary<string, string> _environment;
    private readonly string _publish;
    private readonly string[] _files;
    private bool _down;

    private ComposeStack(DockerEngine engine, string project, Dictionary<string, string> environment, string publish, string[] overrides)
    {
        _files = ["-f", "docker-compose.yml", "-f", "docker-compose.hostnet.yml", .. overrides.SelectMany(f => new[] { "-f", f })];
        Engine = engine;
        Project = project;
        _environment = environment;
        _publish = publish;
    }

    public DockerEngine Engine { get; }

    /// <summary>The compose project name (containers are <c>{Project}_{service}_1</c>).</summary>
    public string Project { get; }

    /// <summary>Gate's base address.</summary>
    public Uri Gate => new($"http://127.0.0.1:{_environment["DELIVERY_GATE_PORT"]}");

    /// <summary>Seconds each step took, in order.</summary>
    public List<(string Step, double Seconds)> Timings { get; } = [];

    /// <summary>Builds and starts the stack; <paramref name="overrides"/> are more compose files (absolute paths) over the two.</summary>
    public static async Task<ComposeStack> UpAsync(DockerEngine engine, params string[] overrides)
    {
        var project = $"dt{Guid.NewGuid().ToString("N")[..8]}";
        var ports = Repository.FreePorts(PortNames.Length);
        var environment = new Dictionary<string, string>(engine.Environment)
        {
            ["COMPOSE_PROJECT_NAME"] = project,
            ["DELIVERY_IMAGE"] = $"delivery:{project}",
            ["CONFIGURATION"] = Repository.Configuration,
        };
        for (var i = 0; i < PortNames.Length; i++)
        {
            environment[$"DELIVERY_{PortNames[i]}_PORT"] = ports[i].ToString(CultureInfo.InvariantCulture);
        }
        var publish = Path.Combine(Path.GetTempPath(), $"delivery-publish-{project}");
        var stack = new ComposeStack(engine, project, environment, publish, overrides);
        try
        {
            await stack.StepAsync("local base images", () => Command.OkAsync(Path.Combine(Repository.Root, "docker/local-base.sh"), [], TimeSpan.FromMinutes(3), environment));
            await stack.StepAsync("publish", () => Command.OkAsync(Path.Combine(Repository.Root, "docker/publish.sh"), [publish, "--no-build"], TimeSpan.FromMinutes(5), environment));
            await stack.StepAsync("image build", () => Command.OkAsync(DockerEngine.Cli,
                ["build", "-f", "docker/Dockerfile", "--build-arg", "PUBLISHED=prebuilt", "--build-arg", "BASE=delivery-local/aspnet:10.0",
                 "-t", environment["DELIVERY_IMAGE"], publish], TimeSpan.FromMinutes(5), environment));
            await stack.StepAsync("compose up", () => stack.ComposeAsync(TimeSpan.FromMinutes(5), "up", "-d", "--no-build"));
            await stack.StepAsync("gate ready", stack.WaitForGateAsync);
            await stack.StepAsync("every service healthy", () => stack.WaitForEveryServiceHealthyAsync());
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
        return stack;
    }

    /// <summary>Runs docker-compose on this project (both files) and requires success.</summary>
    public Task<string> ComposeAsync(TimeSpan timeout, params string[] args) =>
        Command.OkAsync("docker-compose", [.. _files, .. args], timeout, _environment);

    /// <summary>The container of one service (replica services are named -1, -2).</summary>
    public async Task<string> ContainerAsync(string service) => (await ComposeAsync(TimeSpan.FromSeconds(30), "ps", "-q", service)).Trim();

    /// <summary>SIGKILL to one service's container, as a crashed machine would.</summary>
    public async Task KillAsync(string service) => await Engine.DockerAsync(TimeSpan.FromSeconds(30), "kill", await ContainerAsync(service));

    /// <summary>Containers and volumes of the project still present.</summary>
    public async Task<(string Containers, string Volumes)> LeftoversAsync()
    {
        var label = $"label=com.docker.compose.project={Project}";
        return ((await Engine.DockerAsync(TimeSpan.FromSeconds(30), "ps", "-a", "-q", "--filter", label)).Trim(),
                (await Engine.DockerAsync(TimeSpan.FromSeconds(30), "volume", "ls", "-q", "--filter", label)).Trim());
    }

    /// <summary><c>docker-compose down -v</c>: containers, volumes and network of the project removed.</summary>
    public async Task DownAsync()
    {
        _down = true;
        await StepAsync("compose down", () => ComposeAsync(TimeSpan.FromMinutes(3), "down", "-v", "--remove-orphans", "-t", "30"));
    }

    /// <summary>The last lines of every service's log, for a failure's message.</summary>
    public async Task<string> LogsAsync()
    {
        var (_, output) = await Command.RunAsync("docker-compose", [.. _files, "logs", "--no-color", "--tail", "40"],
            TimeSpan.FromSeconds(60), _environment);
        return output;
    }

    private async Task StepAsync(string step, Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        Timings.Add((step, watch.Elapsed.TotalSeconds));
        Console.WriteLine($"compose test: {step} {watch.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task WaitForGateAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Gate, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        var last = "";
        while (watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            try
            {
                using var response = await http.GetAsync("/health");
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"Gate was not ready within 3 min (last: {last}):\n{await LogsAsync()}");
    }

    /// <summary>Until Docker reports every container of the project (its nine) healthy.</summary>
    public async Task WaitForEveryServiceHealthyAsync()
    {
        var watch = Stopwatch.StartNew();
        var states = "";
        const int expected = 9;
        while (watch.Elapsed < TimeSpan.FromMinutes(4))
        {
            var containers = (await ComposeAsync(TimeSpan.FromSeconds(30), ["ps", "-q"])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            states = await Engine.DockerAsync(TimeSpan.FromSeconds(30), ["inspect", "-f", "{{.Name}} {{.State.Health.Status}}", .. containers]);
            var lines = states.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == expected && lines.All(l => l.EndsWith(" healthy", StringComparison.Ordinal)))
            {
                return;
            }
            await Task.Delay(1000);
        }
        throw new TimeoutException($"Not every service became healthy within 4 min:\n{states}\n{await LogsAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_down)
        {
            await Command.RunAsync("docker-compose", [.. _files, "down", "-v", "--remove-orphans", "-t", "5"],
                TimeSpan.FromMinutes(3), _environment);
        }
        if (Directory.Exists(_publish))
        {
            Directory.Delete(_publish, recursive: true);
        }
    }
}
