using System.Diagnostics;

namespace Delivery.Bench;

/// <summary>The measurements, each against a running server through its HTTP API.</summary>
public static class Scenarios
{
    private static readonly TimeSpan ExecutionTimeout = TimeSpan.FromSeconds(60);

    /// <summary>One execution at a time: client time from sending the trigger to seeing SUCCEEDED, plus the final document.</summary>
    public sealed record LatencySample(double ClientMs, ExecutionView Execution, int Polls);

    public static async Task<List<LatencySample>> SequentialAsync(DeliveryApi api, string pipeline, int warmup, int count, PollPolicy policy)
    {
        var samples = new List<LatencySample>(count);
        for (var i = 0; i < warmup + count; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var id = await api.TriggerAsync(Pipelines.Application, pipeline);
            var (document, seenAt, polls) = await api.WaitForCompletionAsync(id, policy, ExecutionTimeout);
            var clientMs = Stopwatch.GetElapsedTime(t0, seenAt).TotalMilliseconds;
            if (i >= warmup)
            {
                samples.Add(new LatencySample(clientMs, ExecutionView.Parse(document), polls));
            }
        }
        return samples;
    }

    /// <summary>Result of a closed-loop load: completion times (sorted) and what the rate was computed over.</summary>
    public sealed record LoadResult(
        int Completed, double PerSecond, int MeasuredExecutions, double MeasuredSeconds, double PollsPerExecution, double WallSeconds,
        IReadOnlyList<string> FirstWorkerIds, int BucketSize, IReadOnlyList<double> BucketRates);

    /// <summary>
    /// Keeps <paramref name="concurrency"/> executions in flight (trigger, poll until SUCCEEDED, trigger the next)
    /// until <paramref name="total"/> were triggered or the deadline passed. Worker w triggers its own copy of
    /// the pipeline (<see cref="Pipelines.ForWorker"/>). The rate is measured between the
    /// completion numbered <paramref name="warmup"/> and the last completion seen while all workers still had
    /// work, so neither the ramp-up nor the drain counts.
    /// </summary>
    public static async Task<LoadResult> ClosedLoopAsync(
        DeliveryApi api, string pipeline, int total, int warmup, int concurrency, PollPolicy policy, TimeSpan deadline, Action<int>? progress = null)
    {
        var completions = new long[total];
        var started = 0;
        var completed = 0;
        long polls = 0;
        var firstWorkerIds = new List<string>();
        var begin = Stopwatch.GetTimestamp();
        var stopTriggeringAt = begin + (long)(deadline.TotalSeconds * Stopwatch.Frequency);

        async Task Worker(int worker)
        {
            var name = Pipelines.ForWorker(pipeline, worker);
            while (Interlocked.Increment(ref started) <= total && Stopwatch.GetTimestamp() < stopTriggeringAt)
            {
                var id = await api.TriggerAsync(Pipelines.Application, name);
                if (worker == 0)
                {
                    firstWorkerIds.Add(id);
                }
                var (_, seenAt, p) = await api.WaitForCompletionAsync(id, policy, ExecutionTimeout);
                var n = Interlocked.Increment(ref completed);
                completions[n - 1] = seenAt;
                Interlocked.Add(ref polls, p);
                if (n % 1000 == 0)
                {
                    progress?.Invoke(n);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w))));
        var wall = Stopwatch.GetElapsedTime(begin).TotalSeconds;
        var times = completions[..completed];
        Array.Sort(times);
        var lo = Math.Min(warmup, completed - 1);
        var hi = completed - concurrency - 1;
        if (hi <= lo)
        {
            throw new BenchException($"Only {completed} executions completed: too few to measure a sustained rate past the warm-up of {warmup}.");
        }
        var seconds = (times[hi] - times[lo]) / (double)Stopwatch.Frequency;
        // The rate in successive slices of the run, to show the warm-up (JIT tiering) and that the measured part is steady.
        var bucket = Math.Max(100, total / 10);
        var rates = new List<double>();
        for (var from = 0; from + bucket <= completed; from += bucket)
        {
            var start = from == 0 ? begin : times[from - 1];
            rates.Add(bucket / ((times[from + bucket - 1] - start) / (double)Stopwatch.Frequency));
        }
        return new LoadResult(completed, (hi - lo) / seconds, hi - lo, seconds, polls / (double)completed, wall, firstWorkerIds, bucket, rates);
    }

    /// <summary><paramref name="clients"/> concurrent clients, each GETting executions one after another; latency per GET in ms.</summary>
    public static Task<Samples> ConcurrentGetsAsync(DeliveryApi api, IReadOnlyList<string> ids, int clients, TimeSpan warmup, TimeSpan duration) =>
        ConcurrentAsync(i => api.GetExecutionAsync(ids[i % ids.Count]), clients, warmup, duration);

    /// <summary><paramref name="clients"/> concurrent clients, each sending one request after another; latency per request in ms.</summary>
    public static async Task<Samples> ConcurrentAsync(Func<int, Task> request, int clients, TimeSpan warmup, TimeSpan duration)
    {
        var begin = Stopwatch.GetTimestamp();
        var measureFrom = begin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perClient = new List<double>[clients];

        async Task Client(int c)
        {
            var local = perClient[c] = new List<double>(4096);
            var i = c;
            while (true)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= end)
                {
                    return;
                }
                await request(i++);
                if (t0 >= measureFrom)
                {
                    local.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => Client(c))));
        return new Samples(perClient.SelectMany(l => l));
    }
}
