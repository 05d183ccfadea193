using System.Text.Json.Nodes;
using Delivery.Contracts.Clouddriver;
using Delivery.Clouddriver.Kubernetes.Contracts;
using Delivery.Orchestrator.Abstractions;
using MassTransit;

namespace Delivery.Clouddriver.Kubernetes.Stages;

/// <summary>
/// A task that sends one Kubernetes command to clouddriver and waits for its <see cref="OperationCompleted"/>, which wakes it:
/// the first run sends it (recording its id, so a task run again never sends twice), later runs read the reply. Until the
/// reply, every <see cref="ProgressInterval"/> it asks clouddriver what the operation waits for (<see cref="GetManifestProgress"/>)
/// and shows it as <see cref="WaitingFor"/>. The result's fields become the stage's outputs. Bad stage input fails the task
/// before anything is sent.
/// </summary>
internal abstract class ManifestTask(IBus bus) : IStageTask
{
    /// <summary>The stage context key that shows what the task waits for (the live reason once clouddriver reports one).</summary>
    public const string WaitingFor = "waitingFor";

    /// <summary>How often a waiting task asks for the live reason.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long one ask may take; the task runs inside the engine's handling of a message.</summary>
    public static readonly TimeSpan ProgressTimeout = TimeSpan.FromSeconds(2);

    public abstract string Name { get; }

    public TimeSpan? Timeout => TimeSpan.FromMinutes(30);

    /// <summary>The command and its description; throws <see cref="StageInputException"/> for bad input.</summary>
    protected abstract (IClouddriverOperation Command, string Description) Plan(JsonObject context, string operationId, TaskContext task);

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var key = $"kubernetes.operation.{context.Task.Id}";
        if (context.Stage.Context[key]?.GetValue<string>() is not { } sent)
        {
            var id = $"{context.Execution.Id}:{context.Stage.Id}:{context.Task.Id}:{context.Task.StartTime ?? 0}";
            try
            {
                var (command, description) = Plan(context.Stage.Context, id, context);
                return new TaskResult(global::Delivery.Contracts.ExecutionStatus.Running, new JsonObject { [key] = id, [WaitingFor] = description }, RunAgainAfter: ProgressInterval)
                {
                    Messages = [command],
                };
            }
            catch (StageInputException e)
            {
                return TaskResult.Terminal(e.Message);
            }
        }
        var reply = context.Callback<OperationCompleted>(sent);
        if (reply is null)
        {
            var waiting = await WaitingForAsync(sent, cancellationToken);
            return TaskResult.Running(ProgressInterval, waiting is null ? null : new JsonObject { [WaitingFor] = waiting });
        }
        var done = new JsonObject { [WaitingFor] = null };
        if (!reply.Succeeded)
        {
            return TaskResult.Terminal(reply.Error ?? "The operation failed.", done);
        }
        var outputs = JsonNode.Parse(reply.ResultJson) as JsonObject ?? [];
        foreach (var (k, v) in outputs)
        {
            done[k] = v?.DeepClone();
        }
        return TaskResult.Succeeded(done, outputs);
    }

    /// <summary>The operation's live reason, or null when clouddriver does not know it or does not answer in time.</summary>
    private async Task<string?> WaitingForAsync(string operationId, CancellationToken cancellationToken)
    {
        var client = bus.CreateRequestClient<GetManifestProgress>(RequestTimeout.After(s: (int)ProgressTimeout.TotalSeconds));
        try
        {
            return (await client.GetResponse<ManifestProgress>(new GetManifestProgress(operationId), cancellationToken)).Message.WaitingFor;
        }
        catch (RequestTimeoutException)
        {
            return null;
        }
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
