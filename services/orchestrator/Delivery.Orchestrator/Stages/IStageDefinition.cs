using System.Text.Json.Nodes;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Stages;

/// <summary>
/// A stage type: the tasks it runs and the synthetic stages it adds around them. Synthetic
/// stages of one phase run in the order given.
/// </summary>
public interface IStageDefinition
{
    /// <summary>The stage <c>type</c> in pipeline JSON.</summary>
    string Type { get; }

    IReadOnlyList<TaskDefinition> Tasks(StageExecution stage);

    IReadOnlyList<SyntheticStage> BeforeStages(StageExecution stage) => [];

    IReadOnlyList<SyntheticStage> AfterStages(StageExecution stage) => [];

    IReadOnlyList<SyntheticStage> OnFailureStages(StageExecution stage) => [];

    /// <summary>Whether a user may skip the stage while it runs.</summary>
    bool CanManuallySkip => false;

    /// <summary>Checks user input given to a running stage; returns a problem to answer with 400, or null.</summary>
    string? ValidateUpdate(StageExecution stage, JsonObject patch) => null;

    /// <summary>Messages to send when a running stage of this type is canceled (e.g. cancel a child pipeline).</summary>
    IReadOnlyList<object> OnCancel(PipelineExecution execution, StageExecution stage) => [];

    /// <summary>Clears state that must not survive a restart (such as a previous judgment).</summary>
    void PrepareForRestart(StageExecution stage)
    {
    }
}

public sealed record TaskDefinition(string Name, string ImplementingClass);

public sealed record SyntheticStage(string Type, string Name, JsonObject Context);
