using System.Text.Json.Nodes;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Orchestrator.TestPlugin;

/// <summary>
/// Sends <see cref="StartFakeOperation"/> once (its id kept in the context, so a repeated run sends nothing new), then
/// waits, without polling, for <see cref="FakeOperationCompleted"/>: success puts the result in the outputs, failure
/// fails the stage with the reply's error. No reply within <see cref="Timeout"/> fails the stage.
/// </summary>
public sealed class RunFakeOperationTask(FakeOperationRuns runs) : IStageTask
{
    public const string TaskName = "runFakeOperationTask";
    public const string OperationIdKey = "operationId";

    public string Name => TaskName;

    public TimeSpan? Timeout => TimeSpan.FromSeconds(3);

    public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        runs.Record(context.Execution.Id);
        var stage = context.Stage;
        // Runs whose result was saved (a run in an attempt that lost a save conflict is not counted here).
        var state = new JsonObject { ["runs"] = (ContextValues.Number(stage.Context["runs"]) ?? 0) + 1 };
        if (ContextValues.String(stage.Context[OperationIdKey]) is not { } operationId)
        {
            if (stage.Flag("sendUnregistered"))
            {
                return ValueTask.FromResult(TaskResult.AwaitCallback(state, new UnregisteredCommand(context.Execution.Id)));
            }
            operationId = Guid.NewGuid().ToString("N");
            var command = new StartFakeOperation(operationId, context.Execution.Id, stage.Id, context.Task.Id,
                ContextValues.String(stage.Context["input"]), ContextValues.String(stage.Context["reply"]) ?? "succeed",
                (int)(ContextValues.Number(stage.Context["delayMs"]) ?? 100));
            state[OperationIdKey] = operationId;
            return ValueTask.FromResult(TaskResult.AwaitCallback(state, command));
        }
        if (context.Callback<FakeOperationCompleted>(operationId) is not { } reply)
        {
            return ValueTask.FromResult(TaskResult.Running(null, state));
        }
        return ValueTask.FromResult(reply.Succeeded
            ? TaskResult.Succeeded(state, JsonNode.Parse(reply.ResultJson ?? "{}") as JsonObject)
            : TaskResult.Terminal($"Fake operation {operationId} failed: {reply.Error}", state));
    }
}
