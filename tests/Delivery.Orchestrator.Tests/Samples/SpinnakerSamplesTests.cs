using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.Stages.Support;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Samples;

/// <summary>
/// The pipelines of <c>samples/spinnaker</c>, in Spinnaker's exported JSON, saved unchanged through
/// <c>POST /pipelines</c> and run to their expected end against a fake Jenkins (master <c>jenkins-ci</c>) and a fake
/// deploy-tracker API (the <c>trackerUrl</c> parameter), answering manual judgments through the API.
/// </summary>
public sealed class SpinnakerSamplesTests(SpinnakerSamplesFixture fixture) : IClassFixture<SpinnakerSamplesFixture>
{
    private static readonly HashSet<string> SupportedTypes = ["wait", "manualJudgment", "evaluateVariables", "checkPreconditions", "webhook", "pipeline", "jenkins"];

    private readonly DeliveryClient _client = fixture.Client;

    /// <summary>What each sample is run with and how it must end.</summary>
    private static readonly Dictionary<string, Func<SpinnakerSamplesTests, Task>> Runs = new()
    {
        ["shop-build-and-publish.json"] = t => t.BuildAndPublishAsync(),
        ["shop-smoke-test.json"] = t => t.SmokeTestAsync(),
        ["shop-deploy-production.json"] = t => t.DeployToProductionAsync(),
        ["shop-nightly-integration.json"] = t => t.NightlyIntegrationAsync(),
        ["shop-feature-flag-rollout.json"] = t => t.FeatureFlagDuringFreezeAsync(),
    };

    public static TheoryData<string> Samples => [.. Runs.Keys];

    [Fact]
    public void EverySampleIsRun_AndUsesOnlySupportedStageTypes()
    {
        var files = SampleFiles().Select(Path.GetFileName).ToList();
        Assert.True(files.Count >= 4, $"samples/spinnaker has {files.Count} pipelines");
        Assert.Equal(files.Order(), Runs.Keys.Order());
        foreach (var file in SampleFiles())
        {
            var pipeline = JsonNode.Parse(File.ReadAllText(file))!;
            foreach (var stage in pipeline["stages"]!.AsArray())
            {
                Assert.Contains(stage!["type"]!.GetValue<string>(), SupportedTypes);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_SavesUnchanged_AndRunsToItsExpectedEnd(string file)
    {
        foreach (var path in SampleFiles())
        {
            // The file as exported, byte for byte.
            var response = await _client.Http.PostAsync("/pipelines", new StringContent(await File.ReadAllTextAsync(path), Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, $"Saving {Path.GetFileName(path)} failed: {await response.Content.ReadAsStringAsync()}");
        }
        await Runs[file](this);
    }

    private JsonObject Parameters(params (string Name, string Value)[] values)
    {
        var parameters = new JsonObject { ["trackerUrl"] = fixture.Tracker.BaseAddress.ToString().TrimEnd('/') };
        foreach (var (name, value) in values)
        {
            parameters[name] = value;
        }
        return new JsonObject { ["parameters"] = parameters, ["user"] = "alice@example.com" };
    }

    private async Task<JsonObject> RunAsync(string pipeline, JsonObject trigger, string expected)
    {
        var id = await _client.TriggerAsync("shop", pipeline, trigger);
        var execution = await _client.WaitForAsync(id, e => Status(e) is not ("RUNNING" or "NOT_STARTED"), TimeSpan.FromSeconds(20));
        Assert.True(Status(execution) == expected, $"'{pipeline}' ended {Status(execution)}, expected {expected}: {Errors(execution)}");
        return execution;
    }

    private static string Errors(JsonObject execution) =>
        string.Join(" ", execution["stages"]!.AsArray().Select(s => s!["context"]?["exception"]?["details"]?["error"]?.GetValue<string>()).OfType<string>());

    private async Task BuildAndPublishAsync()
    {
        var execution = await RunAsync("Build and publish", Parameters(("branch", "release/1.4")), "SUCCEEDED");

        var build = Assert.Single(fixture.Jenkins.BuildRequests, r => r.Job == "shop/build");
        Assert.Equal("release/1.4", build.Parameters["GIT_BRANCH"]);
        var published = fixture.Tracker.RequestsTo("/api/builds").Last().Json!;
        Assert.Equal("registry.example.com/shop:1.4.2-b17", published["image"]!.GetValue<string>());
        Assert.Equal("9f3c2a1", published["commit"]!.GetValue<string>());
        Assert.Equal("b-17", Stage(execution, "3")["context"]!["webhook"]!["body"]!["id"]!.GetValue<string>());
    }

    private async Task SmokeTestAsync()
    {
        var execution = await RunAsync("Smoke test", Parameters(("version", "1.4.2"), ("environment", "staging")), "SUCCEEDED");

        Assert.Equal("42 checks passed", Stage(execution, "3")["outputs"]!["smokeTestSummary"]!.GetValue<string>());
    }

    private async Task DeployToProductionAsync()
    {
        var id = await _client.TriggerAsync("shop", "Deploy to production", Parameters(("version", "1.4.2"), ("bakeSeconds", "0")));
        var waiting = await _client.WaitForStageStatusAsync(id, "2", "RUNNING");
        var judgment = await _client.PatchAsync($"/pipelines/{id}/stages/{Stage(waiting, "2")["id"]}",
            new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "deploy" });
        Assert.Equal(HttpStatusCode.OK, judgment.StatusCode);

        var execution = await _client.WaitForAsync(id, e => Status(e) is not ("RUNNING" or "NOT_STARTED"), TimeSpan.FromSeconds(20));
        Assert.True(Status(execution) == "SUCCEEDED", $"ended {Status(execution)}: {Errors(execution)}");
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "3")));
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "4")));
        var deployment = fixture.Tracker.RequestsTo("/api/deployments").Last().Json!;
        Assert.Equal("st-1", deployment["smokeTestRun"]!.GetValue<string>());
        Assert.Equal("1.4.2", deployment["version"]!.GetValue<string>());
        Assert.Contains("1.4.2 is live", fixture.Tracker.RequestsTo("/api/announcements").Last().Json!["text"]!.GetValue<string>());
    }

    private async Task NightlyIntegrationAsync()
    {
        var execution = await RunAsync("Nightly integration tests", Parameters(), "TERMINAL");

        Assert.Equal("TERMINAL", Status(Stage(execution, "2")));
        Assert.Contains("UNSTABLE", Errors(execution));
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "4")));
    }

    private async Task FeatureFlagDuringFreezeAsync()
    {
        var before = fixture.Tracker.Requests.Count(r => r.Method == "PUT");
        var execution = await RunAsync("Feature flag rollout", Parameters(("flag", "new-checkout"), ("percent", "50"), ("changeFreeze", "true")), "SUCCEEDED");

        Assert.Equal("STOPPED", Status(Stage(execution, "1")));
        Assert.Contains("Change freeze", Errors(execution));
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "2")));
        Assert.Equal("alice@example.com asked for new-checkout at 50%", Stage(execution, "3")["outputs"]!["auditMessage"]!.GetValue<string>());
        Assert.Equal(before, fixture.Tracker.Requests.Count(r => r.Method == "PUT"));
    }

    private static IEnumerable<string> SampleFiles()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var samples = Path.Combine(dir.FullName, "samples", "spinnaker");
            if (Directory.Exists(samples))
            {
                return Directory.GetFiles(samples, "*.json").Order();
            }
        }
        throw new DirectoryNotFoundException("samples/spinnaker was not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A host whose Jenkins master <c>jenkins-ci</c> is a <see cref="FakeJenkins"/>, plus a fake deploy-tracker API.</summary>
public sealed class SpinnakerSamplesFixture : IDisposable
{
    private int _smokePolls;
    private int _deploymentPolls;

    public SpinnakerSamplesFixture()
    {
        Jenkins.Jobs["shop/build"] = new FakeJob("SUCCESS", QueuedPolls: 2, BuildingPolls: 2, Artifacts: new Dictionary<string, string>
        {
            ["build.properties"] = "IMAGE_TAG=1.4.2-b17\nGIT_COMMIT=9f3c2a1\n",
        });
        Jenkins.Jobs["shop/integration-tests"] = new FakeJob("UNSTABLE", BuildingPolls: 2);
        Tracker = new FakeHttpServer(Track);
        var settings = GenericStagesFixture.FastSettings(Jenkins)
            .Where(s => !s.Key.StartsWith("Delivery:Jenkins:Masters:", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value);
        settings["Delivery:Jenkins:Masters:jenkins-ci:Address"] = Jenkins.Address.ToString();
        settings["Delivery:Jenkins:Masters:jenkins-ci:Username"] = FakeJenkins.User;
        settings["Delivery:Jenkins:Masters:jenkins-ci:Password"] = FakeJenkins.Token;
        Factory = new StandaloneFactory(null, settings);
        Client = Factory.CreateDeliveryClient();
    }

    public FakeJenkins Jenkins { get; } = new();

    public FakeHttpServer Tracker { get; }

    public StandaloneFactory Factory { get; }

    public DeliveryClient Client { get; }

    public void Dispose()
    {
        Factory.Dispose();
        Tracker.Dispose();
        Jenkins.Dispose();
    }

    /// <summary>The deploy tracker: records builds, runs smoke tests and deployments that finish after one poll.</summary>
    private FakeResponse Track(FakeRequest request) => (request.Method, request.Path) switch
    {
        ("POST", "/api/builds") => FakeResponse.Json(201, new JsonObject { ["id"] = "b-17", ["status"] = "RECORDED" }),
        ("POST", "/api/smoke-tests") => FakeResponse.Json(202, new JsonObject
        {
            ["id"] = "st-1",
            ["links"] = new JsonObject { ["status"] = new Uri(Tracker.BaseAddress, "api/smoke-tests/st-1").ToString() },
        }),
        ("GET", "/api/smoke-tests/st-1") => FakeResponse.Json(200, Interlocked.Increment(ref _smokePolls) % 2 == 1
            ? new JsonObject { ["status"] = "RUNNING", ["summary"] = "12 of 42 checks" }
            : new JsonObject { ["status"] = "PASSED", ["summary"] = "42 checks passed" }),
        ("POST", "/api/deployments") => new FakeResponse(202, """{"id":"d-1"}""", new Dictionary<string, string> { ["Location"] = "/api/deployments/d-1" }),
        ("GET", "/api/deployments/d-1") => FakeResponse.Json(200, new JsonObject { ["state"] = Interlocked.Increment(ref _deploymentPolls) % 2 == 1 ? "IN_PROGRESS" : "SUCCEEDED" }),
        ("POST", "/api/announcements") => FakeResponse.Json(200, new JsonObject { ["ok"] = true }),
        ("POST", "/api/test-data/reset") => new FakeResponse(204),
        ("PUT", var path) when path.StartsWith("/api/flags/", StringComparison.Ordinal) => FakeResponse.Json(200, new JsonObject { ["flag"] = path[11..] }),
        _ => new FakeResponse(404, "{}"),
    };
}
