using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Orchestrator.Persistence;

/// <summary>
/// The orchestrator's Redis keys, all under the configured prefix. The keys of one execution (its document
/// and its outboxes) carry the execution id as a hash tag (<c>{id}</c>), so they live in one slot and the
/// save script, which writes both, also runs on Redis Cluster.
/// </summary>
public sealed class RedisKeys(IOptions<DeliveryStoreOptions> options)
{
    private readonly string _prefix = options.Value.KeyPrefix;

    public RedisKey Execution(string id) => $"{_prefix}execution:{{{id}}}";
    public RedisKey Outbox(string executionId, string messageId) => $"{_prefix}outbox:{{{executionId}}}:{messageId}";
    /// <summary>The ids of the messages whose changes were saved to an execution, scored by when (ms).</summary>
    public RedisKey AppliedMessages(string executionId) => $"{_prefix}applied:{{{executionId}}}";
    /// <summary>Every stored outbox as <c>executionId messageId</c>, scored by when it was saved (or last taken by a sweeper).</summary>
    public RedisKey Outboxes => $"{_prefix}outboxes";
    /// <summary>Every RUNNING execution's id, scored by when it was last saved (or last taken by the zombie sweep).</summary>
    public RedisKey RunningExecutions => $"{_prefix}executions:running";
    /// <summary>The executions of a <c>limitConcurrent</c> pipeline waiting to start, scored by build time.</summary>
    public RedisKey PendingExecutions(string pipelineConfigId) => $"{_prefix}pipeline:{pipelineConfigId}:pending";
    /// <summary>The execution of a <c>limitConcurrent</c> pipeline holding its run slot.</summary>
    public RedisKey ConcurrencyHolder(string pipelineConfigId) => $"{_prefix}pipeline:{pipelineConfigId}:running";
    public RedisKey ApplicationExecutions(string application) => $"{_prefix}app:{application}:executions";
    public RedisKey PipelineExecutions(string pipelineConfigId) => $"{_prefix}pipeline:{pipelineConfigId}:executions";
    public RedisKey Timers => $"{_prefix}timers";
    public RedisKey TimerPayloads => $"{_prefix}timers:payload";
    public RedisKey PipelineConfigs(string application) => $"{_prefix}pipelines:{application}";
    public RedisKey Applications => $"{_prefix}applications";
    public RedisKey Lock(string name) => $"{_prefix}lock:{name}";
}
