using System.Text;
using Delivery.Contracts;
using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Pipelines;
using MassTransit;

namespace Delivery.Orchestrator.Api;

public sealed class ExecutionsApiConsumer(
    IPipelineConfigStore configs,
    IExecutionStore executions,
    ExecutionFactory factory)
    : IConsumer<TriggerPipeline>, IConsumer<GetExecution>, IConsumer<GetApplicationExecutions>
{
    public async Task Consume(ConsumeContext<TriggerPipeline> context)
    {
        var (app, name) = (context.Message.Application.ToLowerInvariant(), context.Message.Name);
        if (await configs.GetAsync(app, name) is not { } config)
        {
            await context.RespondAsync(ApiResponse.Problem(404, $"Pipeline '{name}' of application '{app}' was not found."));
            return;
        }
        if (config["disabled"] is System.Text.Json.Nodes.JsonValue d && d.TryGetValue(out bool disabled) && disabled)
        {
            await context.RespondAsync(ApiResponse.Problem(409, $"Pipeline '{name}' is disabled."));
            return;
        }
        var (trigger, error) = JsonRequests.ParseObject(string.IsNullOrWhiteSpace(context.Message.TriggerJson) ? "{}" : context.Message.TriggerJson, "The trigger");
        if (trigger is null)
        {
            await context.RespondAsync(ApiResponse.Problem(400, error!));
            return;
        }
        var id = Ids.UlidFrom(context.SentTime is { } sent ? new DateTimeOffset(sent, TimeSpan.Zero) : DateTimeOffset.UtcNow, context.MessageId ?? Guid.NewGuid());
        var (execution, problem) = factory.Create(config, trigger, id);
        if (execution is null)
        {
            await context.RespondAsync(ApiResponse.Problem(400, problem!));
            return;
        }
        // A redelivered trigger finds its execution created already; starting it again is harmless.
        await executions.CreateAsync(execution);
        await context.Publish(new StartExecution(execution.Id));
        await context.RespondAsync(new ApiResponse(202, $"{{\"ref\":\"/pipelines/{execution.Id}\"}}", null));
    }

    public async Task Consume(ConsumeContext<GetExecution> context)
    {
        var execution = await executions.GetAsync(context.Message.ExecutionId);
        await context.RespondAsync(execution is null
            ? ApiResponse.Problem(404, $"Execution '{context.Message.ExecutionId}' was not found.")
            : ApiResponse.Ok(ExecutionSerializer.SerializeToString(execution)));
    }

    public async Task Consume(ConsumeContext<GetApplicationExecutions> context)
    {
        HashSet<ExecutionStatus>? statuses = null;
        if (!string.IsNullOrWhiteSpace(context.Message.Statuses))
        {
            statuses = [];
            foreach (var s in context.Message.Statuses.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!ExecutionStatusExtensions.TryParseWire(s, out var status))
                {
                    await context.RespondAsync(ApiResponse.Problem(400, $"Unknown status '{s.Trim()}'."));
                    return;
                }
                statuses.Add(status);
            }
        }
        var list = await executions.ListByApplicationAsync(context.Message.Application.ToLowerInvariant(), Math.Clamp(context.Message.Limit, 1, 1_000), statuses);
        var json = new StringBuilder("[");
        foreach (var e in list)
        {
            json.Append(json.Length > 1 ? "," : "").Append(ExecutionSerializer.SerializeToString(e));
        }
        await context.RespondAsync(ApiResponse.Ok(json.Append(']').ToString()));
    }
}
