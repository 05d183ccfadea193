using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.Stages.Support;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Stages;

/// <summary>The jenkins stage against <see cref="FakeJenkins"/>, which follows Jenkins' documented remote access API.</summary>
[Collection(nameof(GenericStagesCollection))]
public sealed class JenkinsStageTests(GenericStagesFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;
    private readonly FakeJenkins _jenkins = fixture.Jenkins;

    private static JsonObject Jenkins(string refId, string master, string job, JsonObject? settings = null)
    {
        var stage = new JsonObject
        {
            ["refId"] = refId,
            ["type"] = "jenkins",
            ["name"] = $"build {refId}",
            ["master"] = master,
            ["job"] = job,
        };
        foreach (var (key, value) in settings ?? [])
        {
            stage[key] = value?.DeepClone();
        }
        return stage;
    }

    private static void AssertSucceeded(JsonObject execution) =>
        Assert.True(Status(execution) == "SUCCEEDED", $"The execution is {Status(execution)}: {string.Join(" ", execution["stages"]!.AsArray().Select(s => s!["context"]?["exception"]?.ToJsonString()))}");

    private static string Error(JsonObject stage) => stage["context"]!["exception"]!["details"]!["error"]!.GetValue<string>();

    private async Task<JsonObject> RunAsync(string name, params JsonObject[] stages)
    {
        await _client.SaveStagesAsync(name, stages);
        var id = await _client.TriggerAsync("test", name, new JsonObject { ["parameters"] = new JsonObject { ["branch"] = "main" } });
        return await _client.WaitForAsync(id, e => Status(e) is not ("RUNNING" or "NOT_STARTED"));
    }

    [Fact]
    public async Task BuildsWithParameters_WaitsForQueueAndBuild_AndReadsThePropertyFile()
    {
        _jenkins.Jobs["shop/build"] = new FakeJob("SUCCESS", QueuedPolls: 2, BuildingPolls: 3, Artifacts: new Dictionary<string, string>
        {
            ["out/build.properties"] = "# written by the build\nIMAGE_TAG=1.4.2-b17\ncommit: 9f3c2a1\nnotes = line one \\\n    line two\n",
        });

        var execution = await RunAsync("jenkins-build",
            Jenkins("1", "ci", "shop/build", new JsonObject
            {
                ["parameters"] = new JsonObject { ["BRANCH"] = "${parameters.branch}", ["DRY_RUN"] = false },
                ["propertyFile"] = "out/build.properties",
            }),
            new JsonObject
            {
                ["refId"] = "2",
                ["type"] = "evaluateVariables",
                ["requisiteStageRefIds"] = new JsonArray("1"),
                ["variables"] = new JsonArray(
                    new JsonObject { ["key"] = "image", ["value"] = "registry.example.com/shop:${IMAGE_TAG}" },
                    new JsonObject { ["key"] = "buildNumber", ["value"] = "${#stage('build 1')['context']['buildInfo']['number']}" }),
            });

        AssertSucceeded(execution);
        var request = Assert.Single(_jenkins.BuildRequests, r => r.Job == "shop/build");
        Assert.Equal("buildWithParameters", request.Action);
        Assert.Equal("main", request.Parameters["BRANCH"]);
        Assert.Equal("false", request.Parameters["DRY_RUN"]);

        var stage = Stage(execution, "1");
        var info = stage["outputs"]!["buildInfo"]!;
        Assert.Equal("SUCCESS", info["result"]!.GetValue<string>());
        Assert.False(info["building"]!.GetValue<bool>());
        Assert.Equal($"{_jenkins.Address}job/shop/job/build/{info["number"]}/", info["url"]!.GetValue<string>());
        Assert.Equal("out/build.properties", info["artifacts"]![0]!["relativePath"]!.GetValue<string>());
        Assert.Equal("1.4.2-b17", stage["outputs"]!["IMAGE_TAG"]!.GetValue<string>());
        Assert.Equal("9f3c2a1", stage["outputs"]!["commit"]!.GetValue<string>());
        Assert.Equal("line one line two", stage["outputs"]!["notes"]!.GetValue<string>());
        Assert.Equal("9f3c2a1", stage["context"]!["propertyFileContents"]!["commit"]!.GetValue<string>());
        Assert.Equal("registry.example.com/shop:1.4.2-b17", Stage(execution, "2")["outputs"]!["image"]!.GetValue<string>());
        Assert.Equal(info["number"]!.GetValue<long>(), Stage(execution, "2")["outputs"]!["buildNumber"]!.GetValue<long>());
    }

    [Fact]
    public async Task UnstableBuild_SucceedsOnlyWhenMarkedAsSuccessful_AndFailureFails()
    {
        _jenkins.Jobs["flaky-tests"] = new FakeJob("UNSTABLE");
        _jenkins.Jobs["broken"] = new FakeJob("FAILURE");
        _jenkins.Jobs["stopped"] = new FakeJob("ABORTED");

        var accepted = RunAsync("jenkins-unstable-accepted", Jenkins("1", "ci", "flaky-tests", new JsonObject { ["markUnstableAsSuccessful"] = true }));
        var rejected = RunAsync("jenkins-unstable-rejected", Jenkins("1", "ci", "flaky-tests"));
        var failed = RunAsync("jenkins-failure", Jenkins("1", "ci", "broken"));
        var aborted = RunAsync("jenkins-aborted", Jenkins("1", "ci", "stopped"));

        AssertSucceeded(await accepted);
        var unstable = await rejected;
        Assert.Equal("TERMINAL", Status(unstable));
        Assert.Contains("is UNSTABLE", Error(Stage(unstable, "1")));
        Assert.Equal("UNSTABLE", Stage(unstable, "1")["context"]!["buildInfo"]!["result"]!.GetValue<string>());
        var failure = await failed;
        Assert.Equal("TERMINAL", Status(failure));
        Assert.Contains("Jenkins job 'broken'", Error(Stage(failure, "1")));
        Assert.Contains("finished FAILURE", Error(Stage(failure, "1")));
        Assert.Equal("TERMINAL", Status(await aborted));
    }

    [Fact]
    public async Task UnknownMaster_FailsNamingIt()
    {
        var execution = await RunAsync("jenkins-unknown-master", Jenkins("1", "jenkins-prod", "anything"));

        Assert.Equal("TERMINAL", Status(execution));
        var error = Error(Stage(execution, "1"));
        Assert.Contains("Jenkins master 'jenkins-prod' is not configured", error);
        Assert.Contains("configured masters: ci, legacy", error);
    }

    [Fact]
    public async Task MasterWithoutCrumbIssuer_BuildsAJobWithoutParameters()
    {
        _jenkins.Jobs["nightly"] = new FakeJob();

        var execution = await RunAsync("jenkins-legacy", Jenkins("1", "legacy", "nightly"));

        AssertSucceeded(execution);
        Assert.Equal("build", Assert.Single(_jenkins.BuildRequests, r => r.Job == "nightly").Action);
        Assert.DoesNotContain(_jenkins.Requests, r => r.Path == "/legacy/crumbIssuer/api/json" && r.Header("Authorization") is not null);
    }

    [Fact]
    public async Task ServerErrorWhenQueueing_IsRetried()
    {
        _jenkins.Jobs["busy"] = new FakeJob(FailTriggers: 2);

        var execution = await RunAsync("jenkins-busy", Jenkins("1", "ci", "busy"));

        AssertSucceeded(execution);
        Assert.Equal(3, _jenkins.Requests.Count(r => r.Method == "POST" && r.Path == "/job/busy/build"));
        Assert.Single(_jenkins.BuildRequests, r => r.Job == "busy");
    }

    [Fact]
    public async Task MissingPropertyFile_FailsTheStage()
    {
        _jenkins.Jobs["no-artifacts"] = new FakeJob();

        var execution = await RunAsync("jenkins-no-property-file", Jenkins("1", "ci", "no-artifacts", new JsonObject { ["propertyFile"] = "build.properties" }));

        Assert.Equal("TERMINAL", Status(execution));
        Assert.Contains("Expected properties file 'build.properties'", Error(Stage(execution, "1")));
    }

    [Fact]
    public void InvalidMasterAddress_FailsTheHostAtStart()
    {
        using var factory = new StandaloneFactory(null, new Dictionary<string, string?>
        {
            ["Delivery:Jenkins:Masters:broken:Address"] = "jenkins.internal:8080",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Delivery:Jenkins:Masters:broken:Address must be an absolute http(s) URL", error.ToString());
    }
}
