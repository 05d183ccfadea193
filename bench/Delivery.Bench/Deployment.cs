namespace Delivery.Bench;

/// <summary>
/// The server processes of one mode: the standalone host alone, or gate in front of orchestrator
/// replicas. Requests go to <see cref="Front"/>; CPU time is the sum over every process.
/// </summary>
public sealed class Deployment : IAsyncDisposable
{
    private readonly List<ServerProcess> _processes;

    private Deployment(List<ServerProcess> processes) => _processes = processes;

    /// <summary>The process that answers the HTTP API (started last).</summary>
    public ServerProcess Front => _processes[^1];

    public string Pids => string.Join(", ", _processes.Select(p => p.Pid));

    public bool HasExited => _processes.Any(p => p.HasExited);

    /// <summary>CPU time (user + system) every process of the deployment has used so far, in ms.</summary>
    public double CpuMs() => _processes.Sum(p => p.CpuMs());

    /// <summary>One host process that does everything.</summary>
    public static Task<Deployment> SingleAsync(string dll, IReadOnlyDictionary<string, string> environment, string logPath) =>
        StartAsync([], () => ServerProcess.Start(dll, environment, logPath));

    /// <summary>
    /// Orchestrator replicas first (they declare the engine's queue and bindings when their bus starts,
    /// and a command published before would be dropped), then gate.
    /// </summary>
    public static Task<Deployment> SeparateAsync(
        string gateDll, string orchestratorDll, int orchestrators, IReadOnlyDictionary<string, string> environment, Func<string, string> logPath) =>
        StartAsync(
            [.. Enumerable.Range(1, orchestrators).Select(i => (Func<ServerProcess>)(() => ServerProcess.Start(orchestratorDll, environment, logPath($"orchestrator-{i}"))))],
            () => ServerProcess.Start(gateDll, environment, logPath("gate")));

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts the back processes, waits until they are healthy, then the front; stops what it started if any fails.</summary>
    private static async Task<Deployment> StartAsync(IReadOnlyList<Func<ServerProcess>> back, Func<ServerProcess> front)
    {
        var deployment = new Deployment([]);
        try
        {
            deployment._processes.AddRange(back.Select(start => start()));
            await Task.WhenAll(deployment._processes.Select(p => p.WaitHealthyAsync(StartTimeout)));
            var server = front();
            deployment._processes.Add(server);
            await server.WaitHealthyAsync(StartTimeout);
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Gate first, so no request reaches an orchestrator that is going away.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }
    }
}
