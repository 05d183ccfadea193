using System.Text.Json.Nodes;
using Delivery.Contracts.Api;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Pipelines;
using Delivery.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Delivery.Orchestrator.Api;

/// <summary>
/// Ad-hoc tasks: Spinnaker's orchestrations (gate's <c>POST /applications/{app}/tasks</c>), executions
/// of type <c>ORCHESTRATION</c> whose stages are the request's <c>job</c>, run in the order given, as
/// Orca's <c>ExecutionLauncher</c> chains an orchestration's stages. Their status is read like any
/// execution's (<c>GET /tasks/{id}</c>).
/// </summary>
public sealed class OrchestrationsApiConsumer(
    IApplicationStore applications,
    PipelineValidator validator,
    ExecutionFactory factory,
    OutboxSender sender,
    TimeProvider time,
    ILogger<OrchestrationsApiConsumer> logger) : IConsumer<StartOrchestration>
{
    /// <summary>Most stages one task may have: an ad-hoc task is one or a few operations, not a pipeline.</summary>
    public const int MaxJobStages = 20;

    /// <summary>Longest description kept (characters); it names the execution.</summary>
    public const int MaxDescriptionLength = 1_000;

    public Task Consume(ConsumeContext<StartOrchestration> context) => ApiGuard.RespondAsync(context, logger, "The task", () => StartAsync(context));

    private async Task<ApiReply> StartAsync(ConsumeContext<StartOrchestration> context)
    {
        var (body, error) = StrictJson.ParseObject(context.Message.Json, "The task");
        if (body is null)
        {
            return ApiReply.Invalid(error!);
        }
        if (body["job"] is not JsonArray job || job.Count == 0)
        {
            return ApiReply.Invalid("'job' must be a non-empty array of stages, e.g. [{\"type\": \"resizeServerGroup\", ...}].");
        }
        if (job.Count > MaxJobStages)
        {
            return ApiReply.Invalid($"'job' may have at most {MaxJobStages} stages, this one has {job.Count}.");
        }
        var description = body["description"] is JsonValue d && d.TryGetValue(out string? text) && !string.IsNullOrWhiteSpace(text) ? text : null;
        if (description?.Length > MaxDescriptionLength)
        {
            return ApiReply.Invalid($"'description' may have at most {MaxDescriptionLength} characters.");
        }
        var stages = new JsonArray();
        for (var i = 0; i < job.Count; i++)
        {
            if (job[i] is not JsonObject stage)
            {
                return ApiReply.Invalid($"job[{i}] must be an object with a 'type'.");
            }
            var copy = stage.DeepClone().AsObject();
            copy["refId"] = $"{i + 1}";
            copy["requisiteStageRefIds"] = i == 0 ? new JsonArray() : new JsonArray($"{i}");
            stages.Add(copy);
        }
        // The pipeline validator checks the stages; the name is the description, not a pipeline name, so it is set after.
        var config = new JsonObject { ["application"] = context.Message.Application, ["name"] = "task", ["stages"] = stages };
        var errors = validator.Validate(config);
        if (errors.Count > 0)
        {
            return ApiReply.Invalid(string.Join(" ", errors).Replace("stages[", "job[", StringComparison.Ordinal));
        }
        var application = config["application"]!.GetValue<string>();
        config["name"] = description ?? $"{stages[0]!["type"]} ({application})";
        var trigger = new JsonObject { ["type"] = "manual", ["user"] = context.Message.User };
        var (execution, problem) = factory.Create(config, trigger, ExecutionLaunch.IdFor(context), ExecutionTypes.Orchestration);
        if (execution is null)
        {
            return ApiReply.Invalid(problem!);
        }
        await ApplicationsApiConsumer.EnsureExistsAsync(applications, application, time.NowMs());
        return await ExecutionLaunch.StartAsync(sender, execution, "/tasks");
    }
}
