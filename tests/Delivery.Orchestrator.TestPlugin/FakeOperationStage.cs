using System.Text.Json.Nodes;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Orchestrator.TestPlugin;

/// <summary>
/// <c>fakeOperation</c>: starts an operation in the fake external service and waits for its reply, as a deploy stage
/// waits for clouddriver. Settings: <c>input</c> (echoed back in the outputs), <c>reply</c> (see
/// <see cref="StartFakeOperation"/>), <c>delayMs</c> (how long the service takes), <c>sendUnregistered</c>.
/// </summary>
public sealed class FakeOperationStage : IStageDefinition
{
    public string Type => "fakeOperation";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("runFakeOperation", RunFakeOperationTask.TaskName)];

    public void PrepareForRestart(JsonObject context)
    {
        context.Remove(RunFakeOperationTask.OperationIdKey);
        context.Remove("runs");
    }
}
