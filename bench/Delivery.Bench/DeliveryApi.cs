using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Bench;

/// <summary>The public HTTP API, called the way a user's script would call it.</summary>
public sealed class DeliveryApi : IDisposable
{
    private static readonly HashSet<string> ActiveStatuses = ["NOT_STARTED", "RUNNING", "PAUSED", "SUSPENDED"];

    private readonly HttpClient _http;

    public DeliveryApi(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 1024,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>GETs issued through this client, polls included.</summary>
    public long Gets => Interlocked.Read(ref _gets);

    private long _gets;

    public async Task SavePipelineAsync(string application, string name, JsonArray stages, JsonArray? parameterConfig = null)
    {
        var body = new JsonObject { ["application"] = application, ["name"] = name, ["stages"] = stages };
        if (parameterConfig is not null)
        {
            body["parameterConfig"] = parameterConfig;
        }
        using var response = await _http.PostAsync("/pipelines", Json(body.ToJsonString()));
        await EnsureAsync(response, HttpStatusCode.OK, $"saving pipeline {name}");
    }

    /// <summary>Triggers the pipeline and returns the execution id from the 202's <c>ref</c>.</summary>
    public async Task<string> TriggerAsync(string application, string name, JsonObject? trigger = null)
    {
        using var response = await _http.PostAsync($"/pipelines/{application}/{Uri.EscapeDataString(name)}", Json(trigger?.ToJsonString() ?? "{}"));
        var body = await EnsureAsync(response, HttpStatusCode.Accepted, $"triggering {name}");
        var reference = JsonNode.Parse(body)!["ref"]!.GetValue<string>();
        return reference[(reference.LastIndexOf('/') + 1)..];
    }

    public async Task<byte[]> GetExecutionAsync(string id)
    {
        Interlocked.Increment(ref _gets);
        using var response = await _http.GetAsync($"/pipelines/{id}", HttpCompletionOption.ResponseContentRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchException($"GET /pipelines/{id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>A GET whose answer is read and dropped, whatever its status (for the latency breakdown).</summary>
    public async Task GetAnyAsync(string path)
    {
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
        await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>How many of these executions the server still has (GET answers 200 rather than 404).</summary>
    public async Task<int> CountExistingAsync(IEnumerable<string> ids)
    {
        var found = 0;
        foreach (var id in ids)
        {
            using var response = await _http.GetAsync($"/pipelines/{id}");
            found += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        return found;
    }

    /// <summary>
    /// Polls the execution until it is no longer active and returns the final document and the
    /// <see cref="Stopwatch"/> timestamp at which the final state was seen. Anything but SUCCEEDED is an error.
    /// </summary>
    public async Task<(byte[] Document, long SeenAt, int Polls)> WaitForCompletionAsync(string id, PollPolicy policy, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = policy.FirstDelayMs;
        var polls = 0;
        while (true)
        {
            if (delay > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delay));
            }
            var document = await GetExecutionAsync(id);
            var seenAt = Stopwatch.GetTimestamp();
            polls++;
            var status = TopLevelStatus(document);
            if (!ActiveStatuses.Contains(status))
            {
                if (status != "SUCCEEDED")
                {
                    throw new BenchException($"Execution {id} ended {status}: {Encoding.UTF8.GetString(document)}");
                }
                return (document, seenAt, polls);
            }
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new BenchException($"Execution {id} was still {status} after {timeout.TotalSeconds:0} s.");
            }
            delay = Math.Min(Math.Max(delay * policy.Growth, policy.MinDelayMs), policy.MaxDelayMs);
        }
    }

    /// <summary>The execution's own <c>status</c>, read without materialising the stages.</summary>
    public static string TopLevelStatus(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isStatus = reader.ValueTextEquals("status"u8);
            reader.Read();
            if (isStatus)
            {
                return reader.GetString()!;
            }
            reader.Skip();
        }
        throw new BenchException("The execution has no status.");
    }

    public void Dispose() => _http.Dispose();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new BenchException($"{what} answered {(int)response.StatusCode} (expected {(int)expected}): {body}");
        }
        return body;
    }
}

/// <summary>How a client polls an execution: first delay, then the delay grows by a factor between the bounds (0 = back-to-back).</summary>
public sealed record PollPolicy(double FirstDelayMs, double MinDelayMs, double Growth, double MaxDelayMs)
{
    /// <summary>One GET after another with no pause: the finest a polling client can observe completion.</summary>
    public static readonly PollPolicy BackToBack = new(0, 0, 1, 0);
}

/// <summary>What the benchmark reads from an execution document.</summary>
public sealed record ExecutionView(string Status, long? BuildTime, long? StartTime, long? EndTime, IReadOnlyList<StageView> Stages)
{
    public static ExecutionView Parse(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var stages = new List<StageView>();
        foreach (var s in root.GetProperty("stages").EnumerateArray())
        {
            stages.Add(new StageView(s.GetProperty("refId").GetString()!, s.GetProperty("type").GetString()!, s.GetProperty("status").GetString()!, Long(s, "startTime"), Long(s, "endTime")));
        }
        return new ExecutionView(root.GetProperty("status").GetString()!, Long(root, "buildTime"), Long(root, "startTime"), Long(root, "endTime"), stages);
    }

    public StageView Stage(string refId) => Stages.FirstOrDefault(s => s.RefId == refId)
        ?? throw new BenchException($"The execution has no stage {refId}.");

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
}

public sealed record StageView(string RefId, string Type, string Status, long? StartTime, long? EndTime);

public sealed class BenchException(string message) : Exception(message);
