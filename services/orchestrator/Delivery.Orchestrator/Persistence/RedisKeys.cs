using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Orchestrator.Persistence;

/// <summary>The orchestrator's Redis keys, all under the configured prefix.</summary>
public sealed class RedisKeys(IOptions<DeliveryStoreOptions> options)
{
    private readonly string _prefix = options.Value.KeyPrefix;

    public RedisKey Execution(string id) => $"{_prefix}execution:{id}";
    public RedisKey Outbox(string messageId) => $"{_prefix}outbox:{messageId}";
    public RedisKey ApplicationExecutions(string application) => $"{_prefix}app:{application}:executions";
    public RedisKey PipelineExecutions(string pipelineConfigId) => $"{_prefix}pipeline:{pipelineConfigId}:executions";
    public RedisKey Timers => $"{_prefix}timers";
    public RedisKey TimerPayloads => $"{_prefix}timers:payload";
    public RedisKey PipelineConfigs(string application) => $"{_prefix}pipelines:{application}";
    public RedisKey Applications => $"{_prefix}applications";
    public RedisKey Lock(string name) => $"{_prefix}lock:{name}";
}
