using Delivery.ServiceDefaults;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Pipelines;
using MassTransit;
using Microsoft.Extensions.Logging;
using Delivery.Orchestrator.Messages;

using Delivery.Orchestrator.Tasks.Pipelines;

namespace Delivery.Orchestrator.Api;

public sealed class ExecutionsApiConsumer(
    IPipelineConfigStore configs,
    IExecutionStore executions,
    ExecutionFactory factory,
    OutboxSender sender,
    ILogger<ExecutionsApiConsumer> logger)
    : IConsumer<TriggerPipeline>, IConsumer<GetExecution>, IConsumer<GetApplicationExecutions>, IConsumer<GetPipelineExecutions>,
    IApiQueryHandler<GetExecution>, IApiQueryHandler<GetApplicationExecutions>, IApiQueryHandler<GetPipelineExecutions>
{
    /// <summary>Pipeline configs one <c>/executions?pipelineConfigIds=</c> request may name.</summary>
    public const int MaxPipelineConfigIds = 100;

    /// <summary>Executions (documents read) one <c>/executions?pipelineConfigIds=</c> request may ask for: configs times limit.</summary>
    public const int MaxExecutionsPerList = 2_000;

    private static readonly string KnownStatuses = string.Join(", ", Enum.GetValues<ExecutionStatus>().Select(s => s.ToWire()));

    public Task Consume(ConsumeContext<TriggerPipeline> context) => ApiGuard.RespondAsync(context, logger, "The trigger", () => TriggerAsync(context));

    public Task Consume(ConsumeContext<GetExecution> context) => ApiGuard.RespondAsync(context, logger, "The execution", () => GetAsync(context.Message));

    public Task Consume(ConsumeContext<GetApplicationExecutions> context) => ApiGuard.RespondAsync(context, logger, "The execution list", () => ListAsync(context.Message));

    public Task Consume(ConsumeContext<GetPipelineExecutions> context) => ApiGuard.RespondAsync(context, logger, "The execution list", () => ListAsync(context.Message));

    Task<ApiReply> IApiQueryHandler<GetExecution>.AnswerAsync(GetExecution query, CancellationToken cancellationToken) =>
        ApiGuard.AnswerAsync(logger, "The execution", () => GetAsync(query));

    Task<ApiReply> IApiQueryHandler<GetApplicationExecutions>.AnswerAsync(GetApplicationExecutions query, CancellationToken cancellationToken) =>
        ApiGuard.AnswerAsync(logger, "The execution list", () => ListAsync(query));

    Task<ApiReply> IApiQueryHandler<GetPipelineExecutions>.AnswerAsync(GetPipelineExecutions query, CancellationToken cancellationToken) =>
        ApiGuard.AnswerAsync(logger, "The execution list", () => ListAsync(query));

    /// <summary>The stored JSON as is: parsing it only to write it back out cost a third of a GET's CPU.</summary>
    private async Task<ApiReply> GetAsync(GetExecution message)
    {
        var json = await executions.GetJsonAsync(message.ExecutionId);
        return json is null
            ? ApiReply.NotFound($"Execution '{message.ExecutionId}' was not found.")
            : ApiReply.Ok(json);
    }

    private async Task<ApiReply> ListAsync(GetPipelineExecutions message)
    {
        if (ParseStatuses(message.Statuses, out var statuses) is { } problem)
        {
            return problem;
        }
        var limit = Math.Clamp(message.Limit, 1, 1_000);
        var configIds = message.PipelineConfigIds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (configIds.Count > MaxPipelineConfigIds || (long)configIds.Count * limit > MaxExecutionsPerList)
        {
            return ApiReply.Invalid($"'pipelineConfigIds' names {configIds.Count} pipelines with a limit of {limit} each; one request may name at most "
                + $"{MaxPipelineConfigIds} and ask for at most {MaxExecutionsPerList} executions in all: name fewer, or lower 'limit'.");
        }
        var found = new List<PipelineExecution>();
        foreach (var configId in configIds)
        {
            found.AddRange(await executions.ListByPipelineConfigAsync(configId, limit, statuses));
        }
        return JsonList(found.OrderByDescending(e => e.BuildTime));
    }

    private async Task<ApiReply> TriggerAsync(ConsumeContext<TriggerPipeline> context)
    {
        var (app, name) = (context.Message.Application.ToLowerInvariant(), context.Message.Name);
        if (await configs.GetAsync(app, name) is not { } config)
        {
            return ApiReply.NotFound($"Pipeline '{name}' of application '{app}' was not found.");
        }
        if (config["disabled"] is JsonValue d && d.TryGetValue(out bool disabled) && disabled)
        {
            return ApiReply.Conflict($"Pipeline '{name}' is disabled.");
        }
        var (trigger, error) = StrictJson.ParseObject(string.IsNullOrWhiteSpace(context.Message.TriggerJson) ? "{}" : context.Message.TriggerJson, "The trigger");
        if (trigger is null)
        {
            return ApiReply.Invalid(error!);
        }
        // The link a pipeline stage gives its child: a caller setting it could make its execution report into another's stage.
        trigger.Remove(ChildPipelines.ParentStageField);
        var (execution, problem) = factory.Create(config, trigger, ExecutionLaunch.IdFor(context));
        return execution is null ? ApiReply.Invalid(problem!) : await ExecutionLaunch.StartAsync(sender, execution, "/pipelines");
    }

    private async Task<ApiReply> ListAsync(GetApplicationExecutions message)
    {
        if (ParseStatuses(message.Statuses, out var statuses) is { } problem)
        {
            return problem;
        }
        return JsonList(await executions.ListByApplicationAsync(message.Application.ToLowerInvariant(), Math.Clamp(message.Limit, 1, 1_000), statuses));
    }

    /// <summary>Parses a comma-separated status filter; returns the problem to answer with when a status is unknown.</summary>
    private static ApiReply? ParseStatuses(string? text, out HashSet<ExecutionStatus>? statuses)
    {
        statuses = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var parsed = new HashSet<ExecutionStatus>();
        foreach (var s in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ExecutionStatusExtensions.TryParseWire(s, out var status))
            {
                return ApiReply.Invalid($"Unknown status '{s}' in 'statuses'; the statuses are {KnownStatuses}.");
            }
            parsed.Add(status);
        }
        statuses = parsed.Count > 0 ? parsed : null;
        return null;
    }

    private static ApiReply JsonList(IEnumerable<PipelineExecution> list)
    {
        var json = new StringBuilder("[");
        foreach (var e in list)
        {
            json.Append(json.Length > 1 ? "," : "").Append(ExecutionSerializer.SerializeToString(e));
        }
        return ApiReply.Ok(json.Append(']').ToString());
    }
}
