using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Delivery.Bench;

/// <summary>
/// <c>event_latency_ms</c>: from a state change to a client of gate's <c>GET /events</c> (server-sent events)
/// receiving its event. The change's time is the event's <c>time</c> (the engine's clock when it applied the
/// change, whole epoch milliseconds); the receive time is this process's clock on the same machine. Executions of
/// chain10 run one at a time, each awaited through its ExecutionCompleted event, so no polling adds load.
/// </summary>
public static class EventLatency
{
    public static async Task RunAsync(Report report, string mode, Uri server, DeliveryApi api, int warmup, int count)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        using var response = await http.GetAsync($"/events?application={Pipelines.Application}", HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"GET /events answered {(int)response.StatusCode}.");
        }
        var executions = new ConcurrentDictionary<string, Execution>();
        var reading = ReadAsync(await response.Content.ReadAsStreamAsync(), executions, stop.Token);

        var samples = new Samples();
        for (var i = 0; i < warmup + count; i++)
        {
            var id = await api.TriggerAsync(Pipelines.Application, Pipelines.Chain10);
            var execution = executions.GetOrAdd(id, _ => new Execution());
            if (await Task.WhenAny(execution.Completed.Task, reading, Task.Delay(TimeSpan.FromSeconds(30))) != execution.Completed.Task)
            {
                throw new BenchException($"no ExecutionCompleted event of {id} on GET /events within 30 s.");
            }
            if (i >= warmup)
            {
                foreach (var latency in execution.Latencies)
                {
                    samples.Add(latency);
                }
            }
            executions.TryRemove(id, out _);
        }
        await stop.CancelAsync();

        report.Add($"event_latency_ms.{mode}.p50", samples.P50, "ms", "0.00");
        report.Add($"event_latency_ms.{mode}.p99", samples.P99, "ms", "0.00");
        report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{mode}: event_latency_ms over {samples.Count} events of {count} chain10 executions (event time in whole ms, so up to 1 ms high)"));
    }

    private static async Task ReadAsync(Stream body, ConcurrentDictionary<string, Execution> executions, CancellationToken cancel)
    {
        using var reader = new StreamReader(body);
        string? type = null;
        try
        {
            while (await reader.ReadLineAsync(cancel) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    var received = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
                    using var json = JsonDocument.Parse(line.AsMemory("data: ".Length));
                    var id = json.RootElement.GetProperty("executionId").GetString()!;
                    var execution = executions.GetOrAdd(id, _ => new Execution());
                    execution.Latencies.Add(received - json.RootElement.GetProperty("time").GetInt64());
                    if (type == "ExecutionCompleted")
                    {
                        execution.Completed.TrySetResult();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
    }

    private sealed class Execution
    {
        public ConcurrentBag<double> Latencies { get; } = [];

        public TaskCompletionSource Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
