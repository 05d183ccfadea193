using System.Diagnostics;
using System.Globalization;

namespace Delivery.Bench;

/// <summary>The GET scenario: API reads of completed executions, on a server that has settled.</summary>
public sealed partial class Runner
{
    private async Task GetsAsync(string mode, Plan plan, DeliveryApi api, Deployment server)
    {
        var duration = options.GetSeconds is { } s ? TimeSpan.FromSeconds(s) : plan.GetDuration;
        await SettleAsync(mode, server);
        var ids = new List<string>();
        for (var i = 0; i < GetClients; i++)
        {
            var id = await api.TriggerAsync(Pipelines.Application, Pipelines.Chain10);
            await api.WaitForCompletionAsync(id, LoadPolling, TimeSpan.FromSeconds(60));
            ids.Add(id);
        }
        if (options.Breakdown)
        {
            // The same load on cheaper paths: HTTP alone (/health), then HTTP + the bus request to the orchestrator (a missing id).
            Progress($"{mode}: breakdown: GET /health and GET of a missing execution from {GetClients} clients");
            var (health, healthCpu) = await WithCpuAsync(server, n => Scenarios.ConcurrentAsync(_ => { Interlocked.Increment(ref n[0]); return api.GetAnyAsync("/health"); }, GetClients, plan.GetWarmup, duration));
            _report.Add($"api_get_health_ms.{mode}.p50", health.P50, "ms", "0.00");
            _report.Add($"api_get_health_ms.{mode}.p99", health.P99, "ms", "0.00");
            _report.Add($"server_cpu_ms_per_get.{mode}.health", healthCpu, "ms", "0.000");
            var (missing, missingCpu) = await WithCpuAsync(server, n => Scenarios.ConcurrentAsync(_ => { Interlocked.Increment(ref n[0]); return api.GetAnyAsync("/pipelines/01NOSUCHEXECUTION000000000"); }, GetClients, plan.GetWarmup, duration));
            _report.Add($"api_get_missing_ms.{mode}.p50", missing.P50, "ms", "0.00");
            _report.Add($"api_get_missing_ms.{mode}.p99", missing.P99, "ms", "0.00");
            _report.Add($"server_cpu_ms_per_get.{mode}.missing", missingCpu, "ms", "0.000");
            var single = new List<string>();
            for (var i = 0; i < GetClients; i++)
            {
                var id = await api.TriggerAsync(Pipelines.Application, Pipelines.Single);
                await api.WaitForCompletionAsync(id, LoadPolling, TimeSpan.FromSeconds(60));
                single.Add(id);
            }
            var (small, smallCpu) = await WithCpuAsync(server, n => Scenarios.ConcurrentAsync(i => { Interlocked.Increment(ref n[0]); return api.GetExecutionAsync(single[i % single.Count]); }, GetClients, plan.GetWarmup, duration));
            _report.Add($"server_cpu_ms_per_get.{mode}.single_stage", smallCpu, "ms", "0.000");
            _report.Add($"api_get_execution_ms.{mode}.single_stage.p50", small.P50, "ms", "0.00");
            _report.Add($"api_get_execution_ms.{mode}.single_stage.p99", small.P99, "ms", "0.00");
            _report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{mode}: breakdown throughput: /health {health.Count / duration.TotalSeconds:0} GET/s, missing execution {missing.Count / duration.TotalSeconds:0} GET/s, single-stage execution {small.Count / duration.TotalSeconds:0} GET/s"));
        }
        Progress($"{mode}: GET /pipelines/{{id}} from {GetClients} concurrent clients for {duration.TotalSeconds:0} s");
        var (cpu, clientCpu, count) = (server.CpuMs(), Environment.CpuUsage.TotalTime, api.Gets);
        var gets = await Scenarios.ConcurrentGetsAsync(api, ids, GetClients, plan.GetWarmup, duration);
        var made = api.Gets - count;
        _report.Add($"server_cpu_ms_per_get.{mode}", (server.CpuMs() - cpu) / made, "ms", "0.000");
        _report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{mode}: the benchmark client itself used {(Environment.CpuUsage.TotalTime - clientCpu).TotalMilliseconds / made:0.000} ms of CPU per GET on the same cores"));
        _report.Add($"api_get_execution_ms.{mode}.p50", gets.P50, "ms", "0.00");
        _report.Add($"api_get_execution_ms.{mode}.p99", gets.P99, "ms", "0.00");
        var size = (await api.GetExecutionAsync(ids[0])).Length;
        _report.Notes.Add($"{mode}: api_get_execution_ms over {gets.Count} GETs ({gets.Count / duration.TotalSeconds:0} GET/s) of completed chain10 executions ({size} bytes each)");
    }


    /// <summary>Runs a request load and returns its samples and the server CPU ms per request (the load counts requests in n[0]).</summary>
    private static async Task<(Samples Samples, double CpuMsPerRequest)> WithCpuAsync(Deployment server, Func<long[], Task<Samples>> load)
    {
        var counter = new long[1];
        var cpu = server.CpuMs();
        var samples = await load(counter);
        return (samples, (server.CpuMs() - cpu) / Math.Max(1, counter[0]));
    }


    /// <summary>
    /// Waits (at most 60 s) until the server uses under 5% of a core for a whole second, so that the GET
    /// figures measure reads, not the tail of the scenario before: after chain-load the distributed servers
    /// still consume that load's events (echo, the SSE fan-out). How long that took is a note of its own.
    /// </summary>
    private async Task SettleAsync(string mode, Deployment server)
    {
        var watch = Stopwatch.StartNew();
        var busy = 0.0;
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var cpu = server.CpuMs();
            await Task.Delay(TimeSpan.FromSeconds(1));
            var used = server.CpuMs() - cpu;
            if (used < 50)
            {
                break;
            }
            busy += used;
        }
        _report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{mode}: before the GETs the server settled after {watch.Elapsed.TotalSeconds:0.0} s ({busy:0} ms of its CPU in the busy seconds)"));
    }
}
