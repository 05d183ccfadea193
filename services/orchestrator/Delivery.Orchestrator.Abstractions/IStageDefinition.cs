using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>
/// A stage type (Orca's <c>StageDefinitionBuilder</c>): the tasks a stage of this type runs and the synthetic stages
/// it adds around them. Synthetic stages of one phase run in the order given, each after the one before.
/// Register with <see cref="OrchestratorServiceCollectionExtensions.AddStage{TStage}(Microsoft.Extensions.DependencyInjection.IServiceCollection)"/>; one instance serves every
/// execution, so an implementation keeps no per-stage state.
/// </summary>
public interface IStageDefinition
{
    /// <summary>The stage <c>type</c> in pipeline JSON (e.g. <c>wait</c>, <c>deploy</c>); unique among registered stage types.</summary>
    string Type { get; }

    /// <summary>The tasks to run, in order, planned when the stage starts (after its expressions were evaluated).</summary>
    IReadOnlyList<TaskDefinition> Tasks(IStageView stage);

    /// <summary>Synthetic stages to run before the stage's tasks.</summary>
    IReadOnlyList<SyntheticStage> BeforeStages(IStageView stage) => [];

    /// <summary>Synthetic stages to run after the stage's tasks succeeded, planned when they end.</summary>
    IReadOnlyList<SyntheticStage> AfterStages(IStageView stage) => [];

    /// <summary>Synthetic stages to run when the stage failed (cleanup, rollback), planned when it fails.</summary>
    IReadOnlyList<SyntheticStage> OnFailureStages(IStageView stage) => [];

    /// <summary>Whether a user may skip the stage while it runs.</summary>
    bool CanManuallySkip => false;

    /// <summary>
    /// The context fields a user may set on a running stage of this type (<c>PATCH /pipelines/{id}/stages/{stageId}</c>);
    /// an update naming any other field is refused with 400, so no caller can rewrite what the engine or the stage's
    /// tasks keep there. None by default.
    /// </summary>
    IReadOnlySet<string> UpdatableFields => System.Collections.Frozen.FrozenSet<string>.Empty;

    /// <summary>Checks user input given to a running stage (<c>PATCH /pipelines/{id}/stages/{stageId}</c>); returns a problem to answer with 400, or null.</summary>
    string? ValidateUpdate(IStageView stage, JsonObject patch) => null;

    /// <summary>
    /// Messages to publish (through the engine's outbox) when a running stage of this type is canceled, e.g. cancel a
    /// child pipeline or a cloud operation. A type that is not an engine message must be registered with
    /// <see cref="OrchestratorServiceCollectionExtensions.AddTaskMessage{TMessage}"/>.
    /// </summary>
    IReadOnlyList<object> OnCancel(IExecutionView execution, IStageView stage) => [];

    /// <summary>Removes from the stage's context what must not survive a restart (a previous judgment, a recorded build).</summary>
    /// <param name="context">The stage's own context, to change in place.</param>
    void PrepareForRestart(JsonObject context)
    {
    }
}
