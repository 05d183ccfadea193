using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Stages;

/// <summary>
/// <c>cloneServerGroup</c> (Orca's <c>CloneServerGroupStage</c>): a new server group made from an existing one
/// (<see cref="Tasks.CloneServerGroupTask"/>), then the same <c>strategy</c> steps and failure rollback as
/// <c>createServerGroup</c>.
/// </summary>
internal sealed class CloneServerGroupStage : CreateServerGroupStage
{
    public override string Type => "cloneServerGroup";

    public override IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("cloneServerGroup", "cloneServerGroupTask")];
}
