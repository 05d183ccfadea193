using Delivery.Contracts;
using Delivery.Integration.Tests.Infrastructure;
using Delivery.Orchestrator;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tasks.Pipelines;

namespace Delivery.Integration.Tests.Stores;

/// <summary>
/// What the stores remember beside a document: which messages' changes were saved (for a time window, not a count, so a
/// late duplicate is still recognized), and which completed children a parent that has not ended still needs.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AppliedMessagesStoreTests(RedisServerFixture redis)
{
    private sealed class ManualClock(long startMs) : TimeProvider
    {
        public long NowMs { get; set; } = startMs;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task A_saved_message_is_recognized_however_many_changes_came_after_it_within_the_window(string kind)
    {
        var clock = new ManualClock(1_000_000_000);
        var options = new OrchestratorOptions { AppliedMessagesWindowMs = 600_000, AppliedMessagesMax = 10_000 };
        var store = StoreSet.ExecutionStore(kind, redis, clock, options);
        var execution = StoreSet.NewExecution("app", "config", 1_000);
        await store.CreateAsync(execution);

        await SaveAsync(store, execution.Id, "first");
        // 300 changes later (the old count-based memory kept 64), and 9 minutes later, a duplicate is still known.
        for (var i = 0; i < 300; i++)
        {
            clock.NowMs += 1_800;
            await SaveAsync(store, execution.Id, $"later-{i}");
        }
        Assert.True(await WasAppliedAsync(store, execution.Id, "first"));
        Assert.True(await WasAppliedAsync(store, execution.Id, "later-299"));
        Assert.False(await WasAppliedAsync(store, execution.Id, "never-sent"));

        // Past the window it is forgotten, at load even before another save prunes it.
        clock.NowMs += 61_000;
        Assert.False(await WasAppliedAsync(store, execution.Id, "first"));
        Assert.True(await WasAppliedAsync(store, execution.Id, "later-299"));
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Beyond_the_most_kept_the_oldest_applied_ids_are_forgotten_first(string kind)
    {
        var clock = new ManualClock(1_000_000_000);
        var store = StoreSet.ExecutionStore(kind, redis, clock, new OrchestratorOptions { AppliedMessagesMax = 100 });
        var execution = StoreSet.NewExecution("app", "config", 1_000);
        await store.CreateAsync(execution);

        for (var i = 0; i < 150; i++)
        {
            clock.NowMs++;
            await SaveAsync(store, execution.Id, $"m{i}");
        }
        Assert.False(await WasAppliedAsync(store, execution.Id, "m0"));
        Assert.False(await WasAppliedAsync(store, execution.Id, "m49"));
        Assert.True(await WasAppliedAsync(store, execution.Id, "m50"));
        Assert.True(await WasAppliedAsync(store, execution.Id, "m149"));
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Applied_gate_requests_are_kept_beside_the_document_and_never_shown_in_it(string kind)
    {
        var store = StoreSet.Create(kind, redis).Executions;
        var execution = StoreSet.NewExecution("app", "config", 1_000);
        await store.CreateAsync(execution);

        var (loaded, _) = await store.LoadForUpdateAsync(execution.Id, "pause-1");
        loaded!.MarkRequestApplied("pause-1", 5_000);
        Assert.True(await store.TrySaveAsync(loaded, "pause-1", null));
        // A later save by an engine message keeps what the request left: a pause redelivered after it is still known.
        await SaveAsync(store, execution.Id, "engine-step");

        var (reloaded, _) = await store.LoadForUpdateAsync(execution.Id, "pause-1");
        Assert.True(reloaded!.WasApplied("pause-1"));
        Assert.Equal(5_000, reloaded.AppliedRequests!["pause-1"]);
        Assert.True((await store.GetAsync(execution.Id))!.AppliedRequests!.ContainsKey("pause-1"));
        var json = await store.GetJsonAsync(execution.Id);
        Assert.Contains("\"engine-step\"", json);
        Assert.DoesNotContain("pause-1", json);
        Assert.DoesNotContain("appliedRequests", json);
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Trim_keeps_a_completed_child_while_its_parent_has_not_ended(string kind)
    {
        var store = StoreSet.Create(kind, redis).Executions;
        var app = $"app{Guid.NewGuid():N}";
        var parent = StoreSet.NewExecution(app, $"{app}-parent", 500, ExecutionStatus.Paused);
        await store.CreateAsync(parent);
        var children = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var child = StoreSet.NewExecution(app, $"{app}-child", 1_000 * i, ExecutionStatus.Succeeded);
            child.EndTime = child.BuildTime + 100;
            if (i == 1)
            {
                child.Trigger["parentExecution"] = new System.Text.Json.Nodes.JsonObject { ["id"] = parent.Id };
                child.Trigger[ChildPipelines.ParentStageField] = parent.Stages[0].Id;
            }
            await store.CreateAsync(child);
            children.Add(child.Id);
        }

        // The oldest child is past the limit, but its paused parent's pipeline stage may still read it.
        await store.TrimAsync(app, $"{app}-child", 1, long.MaxValue);
        Assert.NotNull(await store.GetAsync(children[0]));
        Assert.Null(await store.GetAsync(children[1]));

        var (loaded, _) = await store.LoadForUpdateAsync(parent.Id, "end");
        loaded!.Status = ExecutionStatus.Succeeded;
        loaded.EndTime = 600;
        Assert.True(await store.TrySaveAsync(loaded, "end", null));
        await store.TrimAsync(app, $"{app}-child", 1, long.MaxValue);
        Assert.Null(await store.GetAsync(children[0]));
        Assert.Equal([children[2]], (await store.ListByPipelineConfigAsync($"{app}-child", 10)).Select(e => e.Id));
    }

    private static async Task SaveAsync(IExecutionStore store, string id, string messageId)
    {
        var (execution, _) = await store.LoadForUpdateAsync(id, messageId);
        Assert.False(execution!.WasApplied(messageId));
        execution.Trigger["last"] = messageId;
        Assert.True(await store.TrySaveAsync(execution, messageId, null));
    }

    private static async Task<bool> WasAppliedAsync(IExecutionStore store, string id, string messageId) =>
        (await store.LoadForUpdateAsync(id, messageId)).Execution!.WasApplied(messageId);
}
