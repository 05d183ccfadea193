using System.Text.Json.Nodes;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tasks;

/// <summary>The correlation a command carries so that its <see cref="OperationCompleted"/> wakes the task that sent it.</summary>
/// <param name="OperationId">
/// <c>{executionId}:{stageId}:{taskId}:{taskStartTime}:{n}</c>: the same on every run of the task (clouddriver answers a
/// redelivered command with the first run's result), new when the stage is restarted (its tasks start again).
/// </param>
internal sealed record Correlation(string OperationId, string ExecutionId, string StageId, string TaskId);

/// <summary>One clouddriver command a task sends, and what it waits for (shown in the stage's <c>waitingFor</c>).</summary>
internal sealed record PlannedOperation(string Description, Func<Correlation, IClouddriverOperation> Command);

/// <summary>What a task decided on its first run: the commands to send (none: the task succeeds at once).</summary>
/// <param name="Context">Merged into the stage context with the commands (or at once when there are none).</param>
internal sealed record OperationPlan(IReadOnlyList<PlannedOperation> Operations, JsonObject? Context = null);

/// <summary>
/// A task that sends clouddriver commands and waits, without polling, for their <see cref="OperationCompleted"/>
/// (registered with <c>AddTaskCallback</c>). Its first run plans and sends the commands in one result, recording
/// their ids in the stage context; later runs only read the replies, so a task run twice never sends twice.
/// Commands of one plan run concurrently; the task fails with the first failure's error once every reply is in.
/// </summary>
internal abstract class OperationTask : IStageTask
{
    /// <summary>The stage context key that shows what a waiting task waits for.</summary>
    public const string WaitingFor = "waitingFor";

    public abstract string Name { get; }

    /// <summary>Local operations end within the provider's instance start-up timeout; this only catches a lost reply.</summary>
    public virtual TimeSpan? Timeout => TimeSpan.FromMinutes(10);

    /// <summary>Decides what to send; throws <see cref="Support.StageInputException"/> for bad input.</summary>
    protected abstract ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken);

    /// <summary>The result once every command succeeded; <paramref name="results"/> are their result objects, in plan order.</summary>
    protected virtual TaskResult Completed(TaskContext context, IReadOnlyList<JsonObject> results) => TaskResult.Succeeded(Done());

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var key = $"clouddriver.task.{context.Task.Id}";
        if (context.Stage.Context[key] is not JsonArray sent)
        {
            var plan = await PlanAsync(context, cancellationToken);
            if (plan.Operations.Count == 0)
            {
                return TaskResult.Succeeded(Done(plan.Context));
            }
            var record = new JsonArray();
            var messages = new List<object>();
            for (var i = 0; i < plan.Operations.Count; i++)
            {
                var id = $"{context.Execution.Id}:{context.Stage.Id}:{context.Task.Id}:{context.Task.StartTime ?? 0}:{i}";
                messages.Add(plan.Operations[i].Command(new Correlation(id, context.Execution.Id, context.Stage.Id, context.Task.Id)));
                record.Add(new JsonObject { ["operationId"] = id, ["description"] = plan.Operations[i].Description });
            }
            var state = plan.Context ?? [];
            state[key] = record;
            state[WaitingFor] = string.Join("; ", plan.Operations.Select(o => o.Description));
            return TaskResult.AwaitCallback(state, messages);
        }

        var replies = sent.Select(s => (Description: s!["description"]!.GetValue<string>(), Reply: context.Callback<OperationCompleted>(s["operationId"]!.GetValue<string>()))).ToList();
        var pending = replies.Where(r => r.Reply is null).Select(r => r.Description).ToList();
        if (pending.Count > 0)
        {
            return TaskResult.Running(null, new JsonObject { [WaitingFor] = string.Join("; ", pending) });
        }
        if (replies.FirstOrDefault(r => !r.Reply!.Succeeded) is { Reply: not null } failed)
        {
            return TaskResult.Terminal($"{failed.Description} failed: {failed.Reply.Error}", Done());
        }
        return Completed(context, [.. replies.Select(r => JsonNode.Parse(r.Reply!.ResultJson) as JsonObject ?? [])]);
    }

    /// <summary>A context that clears <see cref="WaitingFor"/>.</summary>
    protected static JsonObject Done(JsonObject? context = null)
    {
        context ??= [];
        context[WaitingFor] = null;
        return context;
    }
}
