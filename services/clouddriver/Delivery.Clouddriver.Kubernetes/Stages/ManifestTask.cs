using System.Text.Json.Nodes;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Kubernetes.Stages;

/// <summary>
/// A task that sends one Kubernetes command to clouddriver and waits, without polling, for its <see cref="OperationCompleted"/>:
/// the first run sends it (recording its id, so a task run again never sends twice), later runs read the reply. The result's
/// fields become the stage's outputs. Bad stage input fails the task before anything is sent.
/// </summary>
internal abstract class ManifestTask : IStageTask
{
    /// <summary>The stage context key that shows what the task waits for.</summary>
    public const string WaitingFor = "waitingFor";

    public abstract string Name { get; }

    public TimeSpan? Timeout => TimeSpan.FromMinutes(30);

    /// <summary>The command and its description; throws <see cref="StageInputException"/> for bad input.</summary>
    protected abstract (IClouddriverOperation Command, string Description) Plan(JsonObject context, string operationId, TaskContext task);

    public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var key = $"kubernetes.operation.{context.Task.Id}";
        if (context.Stage.Context[key]?.GetValue<string>() is not { } sent)
        {
            var id = $"{context.Execution.Id}:{context.Stage.Id}:{context.Task.Id}:{context.Task.StartTime ?? 0}";
            try
            {
                var (command, description) = Plan(context.Stage.Context, id, context);
                return ValueTask.FromResult(TaskResult.AwaitCallback(new JsonObject { [key] = id, [WaitingFor] = description }, command));
            }
            catch (StageInputException e)
            {
                return ValueTask.FromResult(TaskResult.Terminal(e.Message));
            }
        }
        var reply = context.Callback<OperationCompleted>(sent);
        if (reply is null)
        {
            return ValueTask.FromResult(TaskResult.Running(null));
        }
        var done = new JsonObject { [WaitingFor] = null };
        if (!reply.Succeeded)
        {
            return ValueTask.FromResult(TaskResult.Terminal(reply.Error ?? "The operation failed.", done));
        }
        var outputs = JsonNode.Parse(reply.ResultJson) as JsonObject ?? [];
        foreach (var (k, v) in outputs)
        {
            done[k] = v?.DeepClone();
        }
        return ValueTask.FromResult(TaskResult.Succeeded(done, outputs));
    }

    protected static string Text(JsonObject context, string key) =>
        ContextValues.String(context[key]) is { Length: > 0 } s ? s : throw new StageInputException($"{key} is required.");

    protected static string? OptionalText(JsonObject context, string key) => ContextValues.String(context[key]) is { Length: > 0 } s ? s : null;

    /// <summary>The account: Spinnaker's <c>account</c> or <c>credentials</c>.</summary>
    protected static string Account(JsonObject context) =>
        OptionalText(context, "account") ?? OptionalText(context, "credentials") ?? throw new StageInputException("account (or credentials) is required.");
}

/// <summary>Bad stage input, shown as the stage's error.</summary>
internal sealed class StageInputException(string message) : Exception(message);
