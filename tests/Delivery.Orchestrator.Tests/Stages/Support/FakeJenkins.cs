using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Delivery.Orchestrator.Tests.Stages.Support;

/// <summary>How a fake job behaves: its result, how long it stays queued and building, what it archives.</summary>
public sealed record FakeJob(string Result = "SUCCESS", int QueuedPolls = 1, int BuildingPolls = 1, IReadOnlyDictionary<string, string>? Artifacts = null, int FailTriggers = 0);

public sealed record FakeBuildRequest(string Job, string Action, IReadOnlyDictionary<string, string> Parameters);

/// <summary>
/// A Jenkins master that follows Jenkins' documented remote access API ("Remote Access API" and "CSRF
/// Protection" in the Jenkins handbook):
/// <list type="bullet">
/// <item><c>GET /crumbIssuer/api/json</c> answers <c>{"_class": "hudson.security.csrf.DefaultCrumbIssuer", "crumb", "crumbRequestField": "Jenkins-Crumb"}</c>
/// and sets a session cookie; since Jenkins 2.176 the crumb is valid only within that session.</item>
/// <item><c>POST /job/{name}/build</c> and <c>/job/{name}/buildWithParameters</c> (folders as <c>/job/a/job/b/</c>) need Basic
/// credentials (401) and the crumb header with its session cookie (403 "No valid crumb was included in the request"), and
/// answer <c>201 Created</c> with <c>Location: {root}queue/item/{id}/</c>.</item>
/// <item><c>GET /queue/item/{id}/api/json</c> is a <c>hudson.model.Queue$WaitingItem</c> (with <c>why</c>, no <c>executable</c>)
/// until the build starts, then a <c>Queue$LeftItem</c> with <c>executable: {number, url}</c>.</item>
/// <item><c>GET /job/{name}/{number}/api/json</c> is the build: <c>building</c>, <c>result</c> (null while building), <c>number</c>,
/// <c>url</c>, <c>artifacts: [{displayPath, fileName, relativePath}]</c>; <c>/job/{name}/{number}/artifact/{path}</c> is an archived file.</item>
/// </list>
/// Under <c>/legacy/</c> the same master runs without CSRF protection and without authentication (no crumb issuer: 404).
/// </summary>
public sealed partial class FakeJenkins : IDisposable
{
    public const string User = "delivery";
    public const string Token = "11aa22bb33cc44dd55ee66ff77";

    private readonly FakeHttpServer _server;
    private readonly ConcurrentDictionary<string, string> _crumbsBySession = new();
    private readonly ConcurrentDictionary<long, QueueItem> _queue = new();
    private readonly ConcurrentDictionary<string, Build> _builds = new();
    private readonly ConcurrentDictionary<string, int> _triggerFailures = new();
    private readonly ConcurrentDictionary<string, int> _nextNumber = new();
    private long _nextQueueId = 100;
    private int _nextSession;

    public FakeJenkins() => _server = new FakeHttpServer(Handle);

    public Uri Address => _server.BaseAddress;

    public Uri LegacyAddress => new(_server.BaseAddress, "legacy/");

    /// <summary>Jobs by full name (<c>folder/job</c>); an unknown job answers 404.</summary>
    public ConcurrentDictionary<string, FakeJob> Jobs { get; } = new();

    public ConcurrentQueue<FakeBuildRequest> BuildRequests { get; } = new();

    public ConcurrentQueue<FakeRequest> Requests => _server.Requests;

    public void Dispose() => _server.Dispose();

    private sealed record QueueItem(long Id, string Job, string Root)
    {
        public int Polls;
        public long? Number;
    }

    private sealed record Build(string Job, long Number, string Root, FakeJob Spec)
    {
        public int Polls;
    }

    private FakeResponse Handle(FakeRequest request)
    {
        var path = request.Path;
        var legacy = path.StartsWith("/legacy/", StringComparison.Ordinal);
        if (legacy)
        {
            path = path["/legacy".Length..];
        }
        var root = legacy ? LegacyAddress.ToString() : Address.ToString();
        if (!legacy && request.Header("Authorization") != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Token}")))
        {
            return new FakeResponse(401, "Authentication required", new Dictionary<string, string> { ["WWW-Authenticate"] = "Basic realm=\"Jenkins\"" }, "text/html");
        }
        if (path == "/crumbIssuer/api/json" && request.Method == "GET")
        {
            if (legacy)
            {
                return new FakeResponse(404, "Not Found", ContentType: "text/html");
            }
            var session = $"node0{Interlocked.Increment(ref _nextSession)}";
            var crumb = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
            _crumbsBySession[session] = crumb;
            return FakeResponse.Json(200,
                new JsonObject { ["_class"] = "hudson.security.csrf.DefaultCrumbIssuer", ["crumb"] = crumb, ["crumbRequestField"] = "Jenkins-Crumb" },
                new Dictionary<string, string> { ["Set-Cookie"] = $"JSESSIONID.6c1a3f2e={session}; Path=/; HttpOnly" });
        }
        if (BuildTrigger().Match(path) is { Success: true } trigger && request.Method == "POST")
        {
            if (!legacy && !ValidCrumb(request))
            {
                return new FakeResponse(403, "No valid crumb was included in the request", ContentType: "text/html");
            }
            var job = JobName(trigger.Groups["job"].Value);
            if (!Jobs.TryGetValue(job, out var spec))
            {
                return new FakeResponse(404, "Not Found", ContentType: "text/html");
            }
            if (_triggerFailures.AddOrUpdate(job, 1, (_, n) => n + 1) <= spec.FailTriggers)
            {
                return new FakeResponse(503, "Jenkins is going to shut down", ContentType: "text/html");
            }
            BuildRequests.Enqueue(new FakeBuildRequest(job, trigger.Groups["action"].Value, request.Form()));
            var id = Interlocked.Increment(ref _nextQueueId);
            _queue[id] = new QueueItem(id, job, root);
            return new FakeResponse(201, null, new Dictionary<string, string> { ["Location"] = $"{root}queue/item/{id}/" });
        }
        if (QueueApi().Match(path) is { Success: true } queue && _queue.TryGetValue(long.Parse(queue.Groups["id"].Value), out var item))
        {
            lock (item)
            {
                if (item.Number is null && ++item.Polls >= Jobs[item.Job].QueuedPolls)
                {
                    item.Number = _nextNumber.AddOrUpdate(item.Job, 1, (_, n) => n + 1);
                    _builds[$"{item.Job}#{item.Number}"] = new Build(item.Job, item.Number.Value, item.Root, Jobs[item.Job]);
                }
                var json = new JsonObject { ["id"] = item.Id, ["cancelled"] = false, ["url"] = $"queue/item/{item.Id}/" };
                if (item.Number is { } number)
                {
                    json["_class"] = "hudson.model.Queue$LeftItem";
                    json["executable"] = new JsonObject { ["_class"] = "hudson.model.FreeStyleBuild", ["number"] = number, ["url"] = BuildUrl(item.Root, item.Job, number) };
                }
                else
                {
                    json["_class"] = "hudson.model.Queue$WaitingItem";
                    json["why"] = "Waiting for next available executor";
                }
                return FakeResponse.Json(200, json);
            }
        }
        if (BuildApi().Match(path) is { Success: true } api && _builds.TryGetValue($"{JobName(api.Groups["job"].Value)}#{api.Groups["number"].Value}", out var build))
        {
            lock (build)
            {
                var building = ++build.Polls < build.Spec.BuildingPolls;
                var artifacts = new JsonArray([.. (build.Spec.Artifacts ?? new Dictionary<string, string>()).Keys.Select(p => (JsonNode)new JsonObject
                {
                    ["displayPath"] = p.Split('/')[^1],
                    ["fileName"] = p.Split('/')[^1],
                    ["relativePath"] = p,
                })]);
                return FakeResponse.Json(200, new JsonObject
                {
                    ["_class"] = "hudson.model.FreeStyleBuild",
                    ["number"] = build.Number,
                    ["url"] = BuildUrl(build.Root, build.Job, build.Number),
                    ["building"] = building,
                    ["result"] = building ? null : build.Spec.Result,
                    ["duration"] = building ? 0 : 5123,
                    ["timestamp"] = 1_700_000_000_000,
                    ["displayName"] = $"#{build.Number}",
                    ["artifacts"] = building ? new JsonArray() : artifacts,
                });
            }
        }
        if (Artifact().Match(path) is { Success: true } artifact
            && _builds.TryGetValue($"{JobName(artifact.Groups["job"].Value)}#{artifact.Groups["number"].Value}", out var owner)
            && owner.Spec.Artifacts?.GetValueOrDefault(Uri.UnescapeDataString(artifact.Groups["path"].Value)) is { } file)
        {
            return new FakeResponse(200, file, ContentType: "application/octet-stream");
        }
        return new FakeResponse(404, "Not Found", ContentType: "text/html");
    }

    private bool ValidCrumb(FakeRequest request)
    {
        var session = (request.Header("Cookie") ?? "").Split(';', StringSplitOptions.TrimEntries)
            .Select(c => c.Split('=', 2)).FirstOrDefault(c => c[0].StartsWith("JSESSIONID", StringComparison.Ordinal))?[1];
        return session is not null && _crumbsBySession.TryGetValue(session, out var crumb) && request.Header("Jenkins-Crumb") == crumb;
    }

    private static string JobName(string jobPath) =>
        string.Join('/', jobPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where((_, i) => i % 2 == 1).Select(Uri.UnescapeDataString));

    private static string BuildUrl(string root, string job, long number) =>
        $"{root}{string.Concat(job.Split('/').Select(p => $"job/{Uri.EscapeDataString(p)}/"))}{number}/";

    [GeneratedRegex("^/(?<job>(?:job/[^/]+/)+)(?<action>build|buildWithParameters)$")]
    private static partial Regex BuildTrigger();

    [GeneratedRegex("^/queue/item/(?<id>[0-9]+)/api/json$")]
    private static partial Regex QueueApi();

    [GeneratedRegex("^/(?<job>(?:job/[^/]+/)+)(?<number>[0-9]+)/api/json$")]
    private static partial Regex BuildApi();

    [GeneratedRegex("^/(?<job>(?:job/[^/]+/)+)(?<number>[0-9]+)/artifact/(?<path>.+)$")]
    private static partial Regex Artifact();
}
