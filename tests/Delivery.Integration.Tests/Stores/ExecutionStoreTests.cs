using Delivery.Contracts;
using Delivery.Integration.Tests.Infrastructure;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Messages;

namespace Delivery.Integration.Tests.Stores;

[Collection(RedisCollection.Name)]
public sealed class ExecutionStoreTests(RedisServerFixture redis)
{
    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task A_stale_save_conflicts_and_does_not_overwrite(string kind)
    {
        var store = StoreSet.Create(kind, redis).Executions;
        var created = StoreSet.NewExecution("app", "config", 1_000);
        await store.CreateAsync(created);

        var (first, _) = await store.LoadForUpdateAsync(created.Id, "m1");
        var (second, _) = await store.LoadForUpdateAsync(created.Id, "m2");
        first!.Status = ExecutionStatus.Running;
        first.Trigger["winner"] = "first";
        Assert.True(await store.TrySaveAsync(first, "m1", null));
        Assert.Equal(2, first.Version);

        second!.Status = ExecutionStatus.Canceled;
        second.Trigger["winner"] = "second";
        Assert.False(await store.TrySaveAsync(second, "m2", null));
        Assert.Equal(1, second.Version);

        var stored = await store.GetAsync(created.Id);
        Assert.Equal(ExecutionStatus.Running, stored!.Status);
        Assert.Equal("first", stored.Trigger["winner"]!.GetValue<string>());
        Assert.Equal(2, stored.Version);

        // The loser reloads and wins the next round.
        var (reloaded, _) = await store.LoadForUpdateAsync(created.Id, "m2");
        reloaded!.Status = ExecutionStatus.Canceled;
        Assert.True(await store.TrySaveAsync(reloaded, "m2", null));
        Assert.Equal(ExecutionStatus.Canceled, (await store.GetAsync(created.Id))!.Status);
        Assert.Equal(3, (await store.GetAsync(created.Id))!.Version);
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Saving_an_execution_that_does_not_exist_fails_and_creating_one_twice_is_refused(string kind)
    {
        var store = StoreSet.Create(kind, redis).Executions;
        var execution = StoreSet.NewExecution("app", null, 1_000);
        execution.Version = 1;
        Assert.False(await store.TrySaveAsync(execution, "m", "[]"));
        Assert.Null(await store.GetAsync(execution.Id));
        Assert.Null((await store.LoadForUpdateAsync(execution.Id, "m")).PendingOutbox);

        Assert.True(await store.CreateAsync(execution));
        // A redelivered trigger creates the same id again: refused, and the first one stands.
        var twin = new PipelineExecution { Id = execution.Id, Application = "twin-app", Name = "twin", PipelineConfigId = "twin", BuildTime = 2_000 };
        Assert.False(await store.CreateAsync(twin));
        Assert.Equal("pipeline", (await store.GetAsync(execution.Id))!.Name);
        Assert.Empty(await store.ListByApplicationAsync("twin-app", 10, null));
        Assert.Empty(await store.ListByPipelineConfigAsync("twin", 10));
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task The_outbox_is_saved_with_the_change_returned_for_its_message_and_gone_once_cleared(string kind)
    {
        var store = StoreSet.Create(kind, redis).Executions;
        var created = StoreSet.NewExecution("app", "config", 1_000);
        await store.CreateAsync(created);
        var messageId = Guid.NewGuid().ToString("N");
        const string outbox = """[{"t":"StartStage","m":{"executionId":"x","stageId":"y"}}]""";

        var (execution, pending) = await store.LoadForUpdateAsync(created.Id, messageId);
        Assert.Null(pending);
        var stale = (await store.LoadForUpdateAsync(created.Id, "stale")).Execution!;
        execution!.Status = ExecutionStatus.Running;
        Assert.True(await store.TrySaveAsync(execution, messageId, outbox));

        var (reloaded, stored) = await store.LoadForUpdateAsync(created.Id, messageId);
        Assert.Equal(outbox, stored);
        Assert.Equal(ExecutionStatus.Running, reloaded!.Status);
        Assert.Null((await store.LoadForUpdateAsync(created.Id, Guid.NewGuid().ToString("N"))).PendingOutbox);

        // A save that conflicts leaves no outbox behind: the outbox and the change are one write.
        stale.Status = ExecutionStatus.Terminal;
        Assert.False(await store.TrySaveAsync(stale, "stale", "[\"lost\"]"));
        Assert.Null((await store.LoadForUpdateAsync(created.Id, "stale")).PendingOutbox);

        await store.ClearOutboxAsync(created.Id, messageId);
        Assert.Null((await store.LoadForUpdateAsync(created.Id, messageId)).PendingOutbox);
        Assert.Equal(ExecutionStatus.Running, (await store.GetAsync(created.Id))!.Status);
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Stale_outboxes_are_handed_to_one_sweeper_at_a_time_and_a_creation_stores_its_start(string kind)
    {
        var store = StoreSet.Create(kind, redis).Executions;
        var created = StoreSet.NewExecution("app", "config", 1_000);
        const string start = """[{"t":"StartExecution","m":{"executionId":"x"}}]""";
        Assert.True(await store.CreateAsync(created, start));
        Assert.Equal(start, await store.GetOutboxAsync(created.Id, PendingOutbox.Creation));
        var (execution, _) = await store.LoadForUpdateAsync(created.Id, "m1");
        var stale = (await store.LoadForUpdateAsync(created.Id, "lost")).Execution!;
        Assert.True(await store.TrySaveAsync(execution!, "m1", "[]"));
        Assert.False(await store.TrySaveAsync(stale, "lost", "[]"));

        // Nothing is stale yet from where a sweeper stands that only takes what was saved before the test began.
        Assert.DoesNotContain(await store.TakeStaleOutboxesAsync(1, 100), o => o.ExecutionId == created.Id);
        await Task.Delay(5);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var taken = (await store.TakeStaleOutboxesAsync(now, 1_000)).Where(o => o.ExecutionId == created.Id).Select(o => o.MessageId).ToList();
        Assert.Contains(PendingOutbox.Creation, taken);
        Assert.Contains("m1", taken);
        // Taken (as if saved just now): another sweeper asking the same gets none of them.
        Assert.DoesNotContain(await store.TakeStaleOutboxesAsync(now, 1_000), o => o.ExecutionId == created.Id);
        // A save that lost its version check stored no outbox (the sweeper drops whatever names it).
        Assert.Null(await store.GetOutboxAsync(created.Id, "lost"));

        await store.ClearOutboxAsync(created.Id, PendingOutbox.Creation);
        await store.ClearOutboxAsync(created.Id, "m1");
        await store.ClearOutboxAsync(created.Id, "lost");
        Assert.Null(await store.GetOutboxAsync(created.Id, "m1"));
        Assert.DoesNotContain(await store.TakeStaleOutboxesAsync(long.MaxValue, 1_000), o => o.ExecutionId == created.Id);
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Executions_are_listed_newest_first_per_application_and_per_pipeline_with_a_status_filter(string kind)
    {
        var store = StoreSet.Create(kind, redis).Executions;
        var app = $"app{Guid.NewGuid():N}";
        // Created out of order: the lists sort by build time, not by insertion.
        var specs = new (long BuildTime, string Config, ExecutionStatus Status)[]
        {
            (5_000, "a", ExecutionStatus.Succeeded),
            (1_000, "a", ExecutionStatus.Terminal),
            (3_000, "b", ExecutionStatus.Running),
            (4_000, "a", ExecutionStatus.Running),
            (2_000, "b", ExecutionStatus.Succeeded),
            (6_000, "b", ExecutionStatus.NotStarted),
        };
        var ids = new Dictionary<long, string>();
        foreach (var (buildTime, config, status) in specs)
        {
            var execution = StoreSet.NewExecution(app, $"{app}-{config}", buildTime);
            await store.CreateAsync(execution);
            await SetStatusAsync(store, execution.Id, status);
            ids[buildTime] = execution.Id;
        }
        await store.CreateAsync(StoreSet.NewExecution($"other{app}", $"{app}-a", 9_000));

        string[] Expected(params long[] buildTimes) => [.. buildTimes.Select(t => ids[t])];
        static string[] Ids(IReadOnlyList<PipelineExecution> list) => [.. list.Select(e => e.Id)];

        Assert.Equal(Expected(6_000, 5_000, 4_000, 3_000, 2_000, 1_000), Ids(await store.ListByApplicationAsync(app, 100, null)));
        Assert.Equal(Expected(6_000, 5_000), Ids(await store.ListByApplicationAsync(app, 2, null)));
        Assert.Equal(Expected(5_000, 2_000), Ids(await store.ListByApplicationAsync(app, 100, new HashSet<ExecutionStatus> { ExecutionStatus.Succeeded })));
        Assert.Equal(Expected(4_000), Ids(await store.ListByApplicationAsync(app, 1, new HashSet<ExecutionStatus> { ExecutionStatus.Running })));
        Assert.Equal(Expected(4_000, 3_000, 1_000), Ids(await store.ListByApplicationAsync(app, 100,
            new HashSet<ExecutionStatus> { ExecutionStatus.Running, ExecutionStatus.Terminal })));
        Assert.Empty(await store.ListByApplicationAsync(app, 100, new HashSet<ExecutionStatus> { ExecutionStatus.Canceled }));
        Assert.Empty(await store.ListByApplicationAsync($"none{app}", 100, null));

        var byA = await store.ListByPipelineConfigAsync($"{app}-a", 100);
        Assert.Equal(9_000, byA[0].BuildTime);
        Assert.Equal(Expected(5_000, 4_000, 1_000), Ids(byA).Skip(1).ToArray());
        Assert.Equal(Expected(6_000, 3_000), Ids(await store.ListByPipelineConfigAsync($"{app}-b", 2)));
        Assert.Equal(ExecutionStatus.Running, (await store.ListByPipelineConfigAsync($"{app}-b", 2))[1].Status);
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task The_status_filter_finds_matches_beyond_the_first_page_of_the_index(string kind)
    {
        var store = StoreSet.Create(kind, redis).Executions;
        var app = $"app{Guid.NewGuid():N}";
        var oldest = new List<string>();
        for (var i = 0; i < 230; i++)
        {
            var execution = StoreSet.NewExecution(app, null, 10_000 + i, i < 3 ? ExecutionStatus.Terminal : ExecutionStatus.Succeeded);
            await store.CreateAsync(execution);
            if (i < 3)
            {
                oldest.Insert(0, execution.Id);
            }
        }
        var terminal = await store.ListByApplicationAsync(app, 10, new HashSet<ExecutionStatus> { ExecutionStatus.Terminal });
        Assert.Equal(oldest, terminal.Select(e => e.Id));
        Assert.Equal(230, (await store.ListByApplicationAsync(app, 1_000, null)).Count);
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Trim_keeps_the_newest_executions_and_never_deletes_a_running_one(string kind)
    {
        var store = StoreSet.Create(kind, redis).Executions;
        var app = $"app{Guid.NewGuid():N}";
        var config = $"{app}-config";
        var statuses = new[]
        {
            ExecutionStatus.Running, ExecutionStatus.Succeeded, ExecutionStatus.Paused, ExecutionStatus.Terminal,
            ExecutionStatus.Canceled, ExecutionStatus.NotStarted, ExecutionStatus.Succeeded, ExecutionStatus.Succeeded,
        };
        var ids = new List<string>();
        for (var i = 0; i < statuses.Length; i++)
        {
            var execution = StoreSet.NewExecution(app, config, 1_000 * (i + 1));
            await store.CreateAsync(execution);
            await SetStatusAsync(store, execution.Id, statuses[i]);
            ids.Add(execution.Id);
        }
        var otherConfig = StoreSet.NewExecution(app, $"{config}-other", 500, ExecutionStatus.Succeeded);
        await store.CreateAsync(otherConfig);

        await store.TrimAsync(app, config, 2, long.MaxValue);

        // Kept: the newest two, and every execution that has not completed (running, paused, not started).
        var kept = new[] { ids[7], ids[6], ids[5], ids[2], ids[0] };
        Assert.Equal(kept, (await store.ListByPipelineConfigAsync(config, 100)).Select(e => e.Id));
        Assert.Equal([.. kept, otherConfig.Id], (await store.ListByApplicationAsync(app, 100, null)).Select(e => e.Id));
        foreach (var deleted in new[] { ids[1], ids[3], ids[4] })
        {
            Assert.Null(await store.GetAsync(deleted));
        }
        Assert.NotNull(await store.GetAsync(otherConfig.Id));

        // Within the limit: nothing more goes.
        await store.TrimAsync(app, config, 10, long.MaxValue);
        Assert.Equal(5, (await store.ListByPipelineConfigAsync(config, 100)).Count);
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Trim_keeps_executions_that_completed_too_recently(string kind)
    {
        var store = StoreSet.Create(kind, redis).Executions;
        var app = $"app{Guid.NewGuid():N}";
        var config = $"{app}-config";
        var ids = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            var execution = StoreSet.NewExecution(app, config, 1_000 * i);
            await store.CreateAsync(execution);
            await SetStatusAsync(store, execution.Id, ExecutionStatus.Succeeded);
            ids.Add(execution.Id);
        }

        // Completed at 1100, 2100, 3100 and 4100: only those that ended before 2500 may go.
        await store.TrimAsync(app, config, 1, 2_500);

        Assert.Equal([ids[3], ids[2]], (await store.ListByPipelineConfigAsync(config, 100)).Select(e => e.Id));
        Assert.Null(await store.GetAsync(ids[0]));
        Assert.Null(await store.GetAsync(ids[1]));
    }

    /// <summary>Sets a status as the engine would: a completed execution gets an end time (100 ms after its build time).</summary>
    private static async Task SetStatusAsync(IExecutionStore store, string id, ExecutionStatus status)
    {
        var (execution, _) = await store.LoadForUpdateAsync(id, Guid.NewGuid().ToString("N"));
        execution!.Status = status;
        execution.EndTime = status.IsComplete() ? execution.BuildTime + 100 : null;
        Assert.True(await store.TrySaveAsync(execution, Guid.NewGuid().ToString("N"), null));
    }
}
