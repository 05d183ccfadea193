using Delivery.Contracts;
using Delivery.Integration.Tests.Infrastructure;
using Delivery.Orchestrator;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Timers;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Integration.Tests.Stores;

/// <summary>
/// The stores of one kind. Every store test runs against the in-memory stores and the Redis ones
/// (each Redis test under its own key prefix): the Redis stores must behave like the in-memory ones.
/// </summary>
public sealed record StoreSet(IExecutionStore Executions, ITimerStore Timers, IPipelineConfigStore Configs, IApplicationStore Applications)
{
    public const string InMemory = "InMemory";
    public const string Redis = "Redis";

    public static TheoryData<string> Kinds => [InMemory, Redis];

    public static StoreSet Create(string kind, RedisServerFixture redis) => kind switch
    {
        InMemory => new(new InMemoryExecutionStore(), new InMemoryTimerStore(), new InMemoryPipelineConfigStore(), new InMemoryApplicationStore()),
        Redis => ForRedis(redis.Connection, Keys(RedisServerFixture.NewKeyPrefix())),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>An execution store of one kind on the given clock and engine options.</summary>
    public static IExecutionStore ExecutionStore(string kind, RedisServerFixture redis, TimeProvider time, OrchestratorOptions options) => kind switch
    {
        InMemory => new InMemoryExecutionStore(time, Options.Create(options)),
        Redis => new RedisExecutionStore(redis.Connection, Keys(RedisServerFixture.NewKeyPrefix()), time, Options.Create(options)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static RedisKeys Keys(string prefix) => new(Options.Create(new DeliveryStoreOptions { Kind = StoreKind.Redis, KeyPrefix = prefix }));

    public static StoreSet ForRedis(IConnectionMultiplexer connection, RedisKeys keys) =>
        new(new RedisExecutionStore(connection, keys), new RedisTimerStore(connection, keys),
            new RedisPipelineConfigStore(connection, keys), new RedisApplicationStore(connection, keys));

    public static PipelineExecution NewExecution(string application, string? pipelineConfigId, long buildTime, ExecutionStatus status = ExecutionStatus.NotStarted) => new()
    {
        Id = Ids.NewUlid(),
        Application = application,
        Name = "pipeline",
        PipelineConfigId = pipelineConfigId,
        BuildTime = buildTime,
        Status = status,
        Stages =
        [
            new StageExecution { Id = Ids.NewUlid(), RefId = "1", Type = "wait", Name = "wait" },
        ],
    };
}
