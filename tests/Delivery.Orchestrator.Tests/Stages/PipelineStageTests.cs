using System.Net;
using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Abstractions;
using Delivery.Orchestrator.Engine.Views;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tasks;
using Delivery.Orchestrator.Tests.Stages.Support;
using Delivery.Orchestrator.Tests.TestHost;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Stages;

[Collection(nameof(GenericStagesCollection))]
public sealed class PipelineStageTests(GenericStagesFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private static JsonObject RunPipeline(string refId, string pipeline, JsonObject? settings = null, params string[] requisites)
    {
        var stage = new JsonObject
        {
            ["refId"] = refId,
            ["type"] = "pipeline",
            ["name"] = $"run {pipeline}",
            ["application"] = "test",
            ["pipeline"] = pipeline,
            ["requisiteStageRefIds"] = new JsonArray([.. requisites.Select(r => (JsonNode)r)]),
        };
        foreach (var (key, value) in settings ?? [])
        {
            stage[key] = value?.DeepClone();
        }
        return stage;
    }

    private async Task<string> SaveChildAsync(string name, params JsonObject[] stages) =>
        (await _client.SavePipelineAsync(new JsonObject { ["application"] = "test", ["name"] = name, ["stages"] = new JsonArray(stages) }))["id"]!.GetValue<string>();

    private static string ChildId(JsonObject execution, string refId) => Stage(execution, refId)["context"]!["executionId"]!.GetValue<string>();

    [Fact]
    public async Task RunsTheChild_WaitsForIt_AndExposesItsOutputs()
    {
        var childConfigId = await SaveChildAsync("child-ok",
            new JsonObject
            {
                ["refId"] = "1",
                ["type"] = "evaluateVariables",
                ["name"] = "version",
                ["variables"] = new JsonArray(new JsonObject { ["key"] = "artifactVersion", ["value"] = "${parameters.version}-b7" }),
            },
            Wait("2", 0.3, "1"));
        var name = await _client.SaveStagesAsync("parent-ok",
            RunPipeline("1", childConfigId, new JsonObject { ["pipelineParameters"] = new JsonObject { ["version"] = "${parameters.version}" } }),
            new JsonObject
            {
                ["refId"] = "2",
                ["type"] = "evaluateVariables",
                ["requisiteStageRefIds"] = new JsonArray("1"),
                ["variables"] = new JsonArray(new JsonObject { ["key"] = "deployed", ["value"] = "${#stage('run " + childConfigId + "')['outputs']['artifactVersion']}" }),
            });

        var parentId = await _client.TriggerAsync("test", name, new JsonObject { ["parameters"] = new JsonObject { ["version"] = "2.0" }, ["user"] = "carol" });
        var parent = await _client.WaitForStatusAsync(parentId, "SUCCEEDED");

        var stage = Stage(parent, "1");
        var child = await _client.GetExecutionAsync(ChildId(parent, "1"));
        Assert.Equal("SUCCEEDED", Status(child));
        Assert.Equal("pipeline", child["trigger"]!["type"]!.GetValue<string>());
        Assert.Equal("carol", child["trigger"]!["user"]!.GetValue<string>());
        Assert.Equal(parentId, child["trigger"]!["parentExecution"]!["id"]!.GetValue<string>());
        Assert.Equal("parent-ok", child["trigger"]!["parentExecution"]!["name"]!.GetValue<string>());
        Assert.Equal(stage["id"]!.GetValue<string>(), child["trigger"]!["parentPipelineStageId"]!.GetValue<string>());
        Assert.Equal("2.0", child["trigger"]!["parameters"]!["version"]!.GetValue<string>());

        Assert.Equal("2.0-b7", stage["outputs"]!["artifactVersion"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", stage["outputs"]!["status"]!.GetValue<string>());
        Assert.Equal(child["id"]!.GetValue<string>(), stage["outputs"]!["executionId"]!.GetValue<string>());
        Assert.Equal("2.0-b7", Stage(parent, "2")["outputs"]!["deployed"]!.GetValue<string>());

        // The child's completion wakes the parent at once; its safety-net poll is every 5 seconds.
        var lag = Time(stage, "endTime") - Time(child, "endTime");
        Assert.True(lag < 2_000, $"the parent stage ended {lag} ms after the child");
    }

    [Fact]
    public async Task AFailingChild_FailsTheParent_WithTheChildsErrors()
    {
        await SaveChildAsync("child-fails", new JsonObject { ["refId"] = "1", ["type"] = "testFail", ["name"] = "integration tests", ["failMessage"] = "3 tests failed" });
        var name = await _client.SaveStagesAsync("parent-of-failing", RunPipeline("1", "child-fails"), Wait("2", 0, "1"));

        var parent = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "TERMINAL");

        var stage = Stage(parent, "1");
        Assert.Equal("TERMINAL", Status(stage));
        Assert.Contains("Exception in child pipeline stage (child-fails: integration tests): 3 tests failed",
            stage["context"]!["exception"]!["details"]!["error"]!.GetValue<string>());
        Assert.Equal("TERMINAL", Status(await _client.GetExecutionAsync(ChildId(parent, "1"))));
        Assert.Equal("NOT_STARTED", Status(Stage(parent, "2")));
    }

    [Fact]
    public async Task CancelingTheParent_CancelsTheChild()
    {
        await SaveChildAsync("child-slow", Wait("1", 30));
        var name = await _client.SaveStagesAsync("parent-canceled", RunPipeline("1", "child-slow"));
        var parentId = await _client.TriggerAsync("test", name);
        var running = await _client.WaitForAsync(parentId, e => Stage(e, "1")["context"]?["executionId"] is not null);
        var childId = ChildId(running, "1");
        await _client.WaitForStatusAsync(childId, "RUNNING");

        var response = await _client.PutAsync($"/pipelines/{parentId}/cancel?reason=wrong+version");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var child = await _client.WaitForStatusAsync(childId, "CANCELED", TimeSpan.FromSeconds(5));
        Assert.Equal("parent", child["canceledBy"]!.GetValue<string>());
        Assert.Contains("parent-canceled", child["cancellationReason"]!.GetValue<string>());
        Assert.Equal("CANCELED", Status(Stage(await _client.GetExecutionAsync(parentId), "1")));
    }

    [Fact]
    public async Task WithoutWaitForCompletion_TheStageEndsOnceTheChildStarted()
    {
        await SaveChildAsync("child-background", Wait("1", 30));
        var name = await _client.SaveStagesAsync("parent-no-wait", RunPipeline("1", "child-background", new JsonObject { ["waitForCompletion"] = false }));

        var parent = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "SUCCEEDED");

        var childId = ChildId(parent, "1");
        Assert.Equal("RUNNING", Status(await _client.WaitForStatusAsync(childId, "RUNNING")));
        await _client.PutAsync($"/pipelines/{childId}/cancel");
    }

    [Fact]
    public async Task UnknownPipeline_FailsNamingIt()
    {
        var name = await _client.SaveStagesAsync("parent-of-nothing", RunPipeline("1", "no-such-pipeline"));

        var parent = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "TERMINAL");

        Assert.Contains("Pipeline 'no-such-pipeline' of application 'test' was not found",
            Stage(parent, "1")["context"]!["exception"]!["details"]!["error"]!.GetValue<string>());
    }

    /// <summary>A parent stage (not in the store) whose start task is run directly, as the engine would.</summary>
    private (PipelineExecution Parent, StageExecution Stage, TaskContext Context, IStageTask Start) DirectParent(string child)
    {
        var start = fixture.Factory.Services.GetRequiredService<TaskRegistry>().Find("startPipelineTask")!;
        var parent = new PipelineExecution { Id = Ids.NewUlid(), Application = "test", Name = "direct parent" };
        var stage = new StageExecution
        {
            Id = Ids.NewUlid(),
            RefId = "1",
            Type = "pipeline",
            Name = "run child",
            Context = new JsonObject { ["application"] = "test", ["pipeline"] = child },
            StartTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Status = ExecutionStatus.Running,
        };
        parent.Stages.Add(stage);
        var task = new TaskExecution { Id = "1", Name = "startPipeline", ImplementingClass = "startPipelineTask", Status = ExecutionStatus.Running };
        return (parent, stage, new EngineTaskContext(parent, stage, task, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), start);
    }

    [Fact]
    public async Task AChildStartedWhileItsParentWasCanceled_IsCanceledWhenTheParentCompletes()
    {
        await SaveChildAsync("child-orphan", Wait("1", 30));
        var (parent, stage, context, start) = DirectParent("child-orphan");
        var childId = (await start.ExecuteAsync(context, CancellationToken.None)).Context!["executionId"]!.GetValue<string>();
        await _client.WaitForStatusAsync(childId, "RUNNING");

        // The parent was canceled before the child existed, so its stage's cancel found nothing to cancel.
        parent.Status = ExecutionStatus.Canceled;
        stage.Status = ExecutionStatus.Canceled;
        await fixture.Factory.Services.GetRequiredService<IExecutionStore>().CreateAsync(parent);
        await fixture.Factory.Services.GetRequiredService<IBus>().Publish(new ExecutionCompleted("test:1:1", parent.Id, parent.Application, null, 1, 1, 0, parent.Name, ExecutionStatus.Canceled));

        var child = await _client.WaitForStatusAsync(childId, "CANCELED");
        Assert.Equal("parent", child["canceledBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartTaskRunTwice_StartsOneChild()
    {
        var childConfigId = await SaveChildAsync("child-once", Wait("1", 0));
        var (parent, _, context, start) = DirectParent("child-once");
        var first = await start.ExecuteAsync(context, CancellationToken.None);
        var second = await start.ExecuteAsync(context, CancellationToken.None);

        Assert.Equal(ExecutionStatus.Succeeded, first.Status);
        var childId = first.Context!["executionId"]!.GetValue<string>();
        Assert.Equal(childId, second.Context!["executionId"]!.GetValue<string>());
        await _client.WaitForStatusAsync(childId, "SUCCEEDED");
        var store = fixture.Factory.Services.GetRequiredService<IExecutionStore>();
        var children = await store.ListByPipelineConfigAsync(childConfigId, 10);
        Assert.Single(children, c => ContextValues.String(c.Trigger["parentExecution"]?["id"]) == parent.Id);
    }

    [Fact]
    public async Task PipelineRunningItself_StopsAtTheNestingLimit_WithAClearError()
    {
        // The fixture allows 3 pipelines deep: the top one, its child and grandchild; the grandchild's stage fails.
        await _client.SaveStagesAsync("recursive", RunPipeline("1", "recursive"));
        var top = await _client.TriggerAsync("test", "recursive");

        var failed = await _client.WaitForStatusAsync(top, "TERMINAL", TimeSpan.FromSeconds(20));

        var store = fixture.Factory.Services.GetRequiredService<IExecutionStore>();
        var all = await store.ListByPipelineConfigAsync(failed["pipelineConfigId"]!.GetValue<string>(), 10);
        Assert.Equal(3, all.Count);
        var deepest = Assert.Single(all, e => e.Trigger["parentExecution"] is not null
            && !all.Any(c => ContextValues.String(c.Trigger["parentExecution"]?["id"]) == e.Id));
        var error = ContextValues.String(deepest.Stages[0].Context["exception"]?["details"]?["error"]);
        Assert.Contains("MaxPipelineDepth", error);
        Assert.Contains("at most 3", error);
        Assert.All(all, e => Assert.Equal(ExecutionStatus.Terminal, e.Status));
    }
}
