using System.Text.Json.Nodes;
using Delivery.Orchestrator.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Orchestrator.Tests.TestHost;

/// <summary>Stage types that exist only in tests: one that fails, one with synthetic stages around it.</summary>
public static class TestStages
{
    public static void Register(IServiceCollection services)
    {
        services.AddStage<FailStage>(t => t.AddTask<FailTask>());
        services.AddStage<WrappedStage>();
        services.AddStage<BrokenStage>();
    }

    /// <summary>A stage type whose definition throws when asked for its tasks: a message about it can never be applied.</summary>
    public sealed class BrokenStage : IStageDefinition
    {
        public string Type => "testBroken";

        public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => throw new InvalidOperationException("the broken stage type has no tasks");
    }

    /// <summary>Fails its only task with the message in <c>failMessage</c>.</summary>
    public sealed class FailStage : IStageDefinition
    {
        public string Type => "testFail";

        public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("fail", "testFailTask")];
    }

    public sealed class FailTask : IStageTask
    {
        public string Name => "testFailTask";

        public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(TaskResult.Terminal(ContextValues.String(context.Stage.Context["failMessage"]) ?? "failed on purpose"));
    }

    /// <summary>
    /// A wait (its own task) with a synthetic before stage, an after stage, and an onFailure stage;
    /// <c>failInside</c> makes its task fail so that the onFailure stage runs.
    /// </summary>
    public sealed class WrappedStage : IStageDefinition
    {
        public string Type => "testWrapped";

        public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) =>
            [stage.Flag("failInside") ? new("fail", "testFailTask") : new("wait", "waitTask")];

        public IReadOnlyList<SyntheticStage> BeforeStages(IStageView stage) =>
            [new("wait", "before", new JsonObject { ["waitTime"] = 0.05 })];

        public IReadOnlyList<SyntheticStage> AfterStages(IStageView stage) =>
            [new("evaluateVariables", "after", new JsonObject { ["variables"] = new JsonArray(new JsonObject { ["key"] = "afterRan", ["value"] = true }) })];

        public IReadOnlyList<SyntheticStage> OnFailureStages(IStageView stage) =>
            [new("evaluateVariables", "cleanup", new JsonObject { ["variables"] = new JsonArray(new JsonObject { ["key"] = "cleanedUp", ["value"] = true }) })];
    }
}
