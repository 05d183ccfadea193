using System.Text.Json.Nodes;
using Delivery.Clouddriver.Tests.TestHost;
using Delivery.Contracts.Clouddriver;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Clouddriver.Tests.Operations;

/// <summary>Operations sent over the bus, as the deploy stages send them: answered by OperationCompleted, once per id.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class BusOperationTests(HostFixture fixture)
{
    private readonly ClouddriverHost _host = fixture.Host;

    [Fact]
    public async Task A_redelivered_create_is_answered_again_without_a_second_server_group()
    {
        var bus = _host.App.Services.GetRequiredService<IBus>();
        var create = new CreateServerGroup(
            OperationId: "op-" + Guid.NewGuid().ToString("N"),
            Account: "local",
            Application: "hellobus",
            Capacity: new ServerGroupCapacity(1, 1, 1),
            Artifact: new ProcessArtifact("dotnet", [ClouddriverHost.HelloDll]),
            Stack: "main",
            Env: new Dictionary<string, string> { ["VERSION"] = "bus" },
            ExecutionId: "exec-1",
            StageId: "stage-1",
            TaskId: "task-1");
        await bus.Publish(create);
        await bus.Publish(create);

        var completed = await _host.Completed.WaitForAsync(create.OperationId, 2, TimeSpan.FromSeconds(60));
        Assert.All(completed, c =>
        {
            Assert.True(c.Succeeded, c.Error);
            Assert.Equal(("exec-1", "stage-1", "task-1"), (c.ExecutionId, c.StageId, c.TaskId));
            Assert.Equal("hellobus-main-v000", JsonNode.Parse(c.ResultJson)!["serverGroupName"]!.GetValue<string>());
        });
        var groups = await _host.GetArrayAsync("/applications/hellobus/serverGroups");
        Assert.Equal(["hellobus-main-v000"], groups.Select(g => g!["name"]!.GetValue<string>()));

        // A sequence is never reused, even once its server group is gone.
        var destroy = new DestroyServerGroup("op-" + Guid.NewGuid().ToString("N"), "local", "hellobus-main-v000");
        await bus.Publish(destroy);
        Assert.True((await _host.Completed.WaitForAsync(destroy.OperationId, 1, TimeSpan.FromSeconds(30)))[0].Succeeded);
        var again = create with { OperationId = "op-" + Guid.NewGuid().ToString("N") };
        await bus.Publish(again);
        var next = (await _host.Completed.WaitForAsync(again.OperationId, 1, TimeSpan.FromSeconds(60)))[0];
        Assert.True(next.Succeeded, next.Error);
        Assert.Equal("hellobus-main-v001", JsonNode.Parse(next.ResultJson)!["serverGroupName"]!.GetValue<string>());

        var failing = new ResizeServerGroup("op-" + Guid.NewGuid().ToString("N"), "local", "hellobus-main-v001", new ServerGroupCapacity(2, 1, 1), TaskId: "task-2");
        await bus.Publish(failing);
        var failed = (await _host.Completed.WaitForAsync(failing.OperationId, 1, TimeSpan.FromSeconds(30)))[0];
        Assert.False(failed.Succeeded);
        Assert.Equal("task-2", failed.TaskId);
        Assert.Contains("capacity.min (2) is greater than capacity.max (1)", failed.Error);
        Assert.Equal("invalid", JsonNode.Parse(failed.ResultJson)!["errorKind"]!.GetValue<string>());

        await _host.OkAsync("destroyServerGroup", Ops.ServerGroup("hellobus-main-v001"));
    }

    [Fact]
    public async Task Credentials_list_the_default_local_account()
    {
        var accounts = await _host.GetArrayAsync("/credentials");
        var local = Assert.Single(accounts)!;
        Assert.Equal("local", local["name"]!.GetValue<string>());
        Assert.Equal("local", local["cloudProvider"]!.GetValue<string>());
        Assert.True(local["healthy"]!.GetValue<bool>());
    }
}
