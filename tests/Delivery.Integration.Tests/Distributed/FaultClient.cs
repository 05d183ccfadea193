using System.Net;
using System.Text.Json.Nodes;
using Delivery.Integration.Tests.Infrastructure;
using static Delivery.Integration.Tests.Infrastructure.DeliveryClient;

namespace Delivery.Integration.Tests.Distributed;

/// <summary>What came of one API call: a 2xx, a 4xx, or nothing the caller can rely on (a timeout, a refused connection, a 5xx).</summary>
public enum CallOutcome
{
    Unknown,
    Refused,
    Accepted,
}

/// <summary>What the client means to do with an execution once it runs.</summary>
public enum FaultRole
{
    None,
    Judge,
    Cancel,
}

/// <summary>One trigger the client sent and everything it did to the execution that may have come of it.</summary>
public sealed class FaultTrigger(int number, string pipeline, FaultRole role)
{
    /// <summary>A field of the trigger body that finds the execution again when the trigger's answer was lost.</summary>
    public string Tag { get; } = $"fault-{number}";

    public string Pipeline { get; } = pipeline;

    public FaultRole Role { get; } = role;

    public CallOutcome Outcome { get; set; }

    public string? ExecutionId { get; set; }

    /// <summary>The best answer a judgment got (a 2xx beats any other); null if none was sent.</summary>
    public CallOutcome? Judged { get; set; }

    /// <summary>Set once the judgment stage was seen past RUNNING: nothing more to judge.</summary>
    public bool JudgmentOver { get; set; }

    /// <summary>The best answer a cancel got; null if none was sent.</summary>
    public CallOutcome? Canceled { get; set; }

    /// <summary>The execution status in the 200 answer to a cancel.</summary>
    public string? CanceledReplyStatus { get; set; }
}

/// <summary>
/// A user's script against a cluster under faults: it triggers pipelines, judges their manual
/// judgments and cancels some of them, each call through a random live replica with a short
/// timeout, and records what every call answered. Not thread-safe: one loop drives it.
/// </summary>
public sealed class FaultClient(DeliveryCluster cluster, Random random, TimeSpan timeout) : IDisposable
{
    /// <summary>The judgment stage's refId in the pipelines that have one.</summary>
    public const string JudgmentRefId = "2";

    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = timeout, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        Timeout = timeout,
    };

    private readonly List<(string Pipeline, double Weight, double CancelShare, bool Judged)> _pipelines = [];

    public List<FaultTrigger> Triggers { get; } = [];

    public Dictionary<string, int> Calls { get; } = [];

    /// <summary>Registers a pipeline the client triggers with the given relative weight; a share of its executions get canceled, the rest judged if it has a judgment.</summary>
    public void Add(string pipeline, double weight, double cancelShare, bool judged) => _pipelines.Add((pipeline, weight, cancelShare, judged));

    /// <summary>Triggers, judges and cancels until <paramref name="stop"/> is canceled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var action = random.NextDouble();
            var done = action switch
            {
                < 0.45 => false,
                < 0.85 => await JudgeAsync(Triggers.Where(t => t.Role == FaultRole.Judge && t.ExecutionId is not null && t.Judged != CallOutcome.Accepted && !t.JudgmentOver).ToList()),
                _ => await CancelAsync(Triggers.Where(t => t.Role == FaultRole.Cancel && t.ExecutionId is not null && t.Canceled != CallOutcome.Accepted).ToList()),
            };
            if (!done)
            {
                await TriggerAsync();
            }
            await Task.Delay(random.Next(200, 400), CancellationToken.None);
        }
    }

    private async Task TriggerAsync()
    {
        var total = _pipelines.Sum(p => p.Weight);
        var pick = random.NextDouble() * total;
        var pipeline = _pipelines.First(p => (pick -= p.Weight) < 0 || p == _pipelines[^1]);
        var role = random.NextDouble() < pipeline.CancelShare ? FaultRole.Cancel : pipeline.Judged ? FaultRole.Judge : FaultRole.None;
        var trigger = new FaultTrigger(Triggers.Count + 1, pipeline.Pipeline, role);
        Triggers.Add(trigger);
        var (outcome, body) = await CallAsync("trigger", HttpMethod.Post, $"/pipelines/{FaultTests.Application}/{pipeline.Pipeline}",
            new JsonObject { ["type"] = "manual", ["user"] = "fault-client", [FaultTests.TagField] = trigger.Tag });
        trigger.Outcome = outcome;
        if (outcome == CallOutcome.Accepted)
        {
            trigger.ExecutionId = body!["ref"]!.GetValue<string>().Split('/')[^1];
        }
    }

    /// <summary>Judges a running judgment of one of the candidates; false when there is none to judge.</summary>
    private async Task<bool> JudgeAsync(List<FaultTrigger> candidates)
    {
        if (candidates.Count == 0)
        {
            return false;
        }
        var target = candidates[random.Next(candidates.Count)];
        var (read, execution) = await CallAsync("read", HttpMethod.Get, $"/pipelines/{target.ExecutionId}", null);
        if (read != CallOutcome.Accepted)
        {
            return true;
        }
        var stage = Stage(execution!, JudgmentRefId);
        switch (Status(stage))
        {
            case "NOT_STARTED":
                return true;
            case "RUNNING":
                var (outcome, _) = await CallAsync("judge", HttpMethod.Patch, $"/pipelines/{target.ExecutionId}/stages/{stage["id"]!.GetValue<string>()}",
                    new JsonObject { ["judgmentStatus"] = "continue" });
                target.Judged = Best(target.Judged, outcome);
                return true;
            default:
                target.JudgmentOver = true;
                return true;
        }
    }

    private async Task<bool> CancelAsync(List<FaultTrigger> candidates)
    {
        if (candidates.Count == 0)
        {
            return false;
        }
        var target = candidates[random.Next(candidates.Count)];
        var (outcome, execution) = await CallAsync("cancel", HttpMethod.Put, $"/pipelines/{target.ExecutionId}/cancel", null);
        target.Canceled = Best(target.Canceled, outcome);
        if (outcome == CallOutcome.Accepted)
        {
            target.CanceledReplyStatus = Status(execution!);
        }
        return true;
    }

    /// <summary>
    /// After the faults, with patient calls: gives every judgment still waiting and every cancel
    /// not yet answered, until every execution has ended or <paramref name="bound"/> is spent.
    /// Returns the executions that have not ended, with their last state.
    /// </summary>
    public async Task<Dictionary<string, JsonObject?>> DriveToEndAsync(IReadOnlyCollection<FaultTrigger> executions, TimeSpan bound)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var open = executions.ToDictionary(t => t.ExecutionId!, _ => (JsonObject?)null);
        while (open.Count > 0 && watch.Elapsed < bound)
        {
            foreach (var trigger in executions.Where(t => open.ContainsKey(t.ExecutionId!)))
            {
                var client = cluster.Client(random.Next(cluster.Size));
                var (execution, _) = await client.TryGetExecutionAsync(trigger.ExecutionId!);
                if (execution is null)
                {
                    continue;
                }
                open[trigger.ExecutionId!] = execution;
                if (IsFinal(Status(execution)))
                {
                    open.Remove(trigger.ExecutionId!);
                }
                else if (trigger.Role == FaultRole.Cancel && trigger.Canceled != CallOutcome.Accepted)
                {
                    var response = await client.Http.PutAsync($"/pipelines/{trigger.ExecutionId}/cancel", null);
                    Count("cancel");
                    if (response.IsSuccessStatusCode)
                    {
                        trigger.Canceled = CallOutcome.Accepted;
                        trigger.CanceledReplyStatus = Status(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
                    }
                }
                else if (trigger.Role != FaultRole.Cancel && execution["stages"]!.AsArray().Any(s => s!["refId"]!.GetValue<string>() == JudgmentRefId
                    && s["type"]!.GetValue<string>() == "manualJudgment" && Status(s.AsObject()) == "RUNNING"))
                {
                    var (status, _) = await client.JudgeAsync(trigger.ExecutionId!, Stage(execution, JudgmentRefId)["id"]!.GetValue<string>());
                    Count("judge");
                    trigger.Judged = Best(trigger.Judged, status == HttpStatusCode.OK ? CallOutcome.Accepted : CallOutcome.Refused);
                }
            }
            await Task.Delay(200);
        }
        return open;
    }

    private async Task<(CallOutcome Outcome, JsonObject? Body)> CallAsync(string kind, HttpMethod method, string path, JsonNode? body)
    {
        Count(kind);
        var live = Enumerable.Range(0, cluster.Size).Select(cluster.TryProcess).OfType<StandaloneProcess>().ToList();
        if (live.Count == 0)
        {
            Count($"{kind} unknown");
            return (CallOutcome.Unknown, null);
        }
        var process = live[random.Next(live.Count)];
        try
        {
            using var request = new HttpRequestMessage(method, new Uri($"http://127.0.0.1:{process.Port}{path}")) { Content = body is null ? null : Json(body) };
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var outcome = response.IsSuccessStatusCode ? CallOutcome.Accepted
                : (int)response.StatusCode is >= 400 and < 500 ? CallOutcome.Refused
                : CallOutcome.Unknown;
            Count($"{kind} {outcome.ToString().ToLowerInvariant()}");
            return (outcome, outcome == CallOutcome.Accepted ? JsonNode.Parse(text)!.AsObject() : null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Count($"{kind} unknown");
            return (CallOutcome.Unknown, null);
        }
    }

    private void Count(string what) => Calls[what] = Calls.GetValueOrDefault(what) + 1;

    private static CallOutcome Best(CallOutcome? before, CallOutcome now) => before is { } b && b > now ? b : now;

    public void Dispose() => _http.Dispose();
}
