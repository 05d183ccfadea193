using System.Text.Json.Nodes;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Stages;

/// <summary>
/// <c>rollbackServerGroup</c> (Orca's explicit rollback): enable <c>rollbackContext.restoreServerGroupName</c> (resized back
/// first when it was scaled down), then disable <c>rollbackContext.rollbackServerGroupName</c>. Either name may be left
/// out: the rolled-back group defaults to <c>serverGroupName</c> or <c>target</c> in <c>cluster</c>, the restored one to
/// the newest group older than it.
/// </summary>
internal sealed class RollbackServerGroupStage : IStageDefinition
{
    public string Type => "rollbackServerGroup";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) =>
        [new("enableRestoreServerGroup", "enableRestoreServerGroupTask"), new("disableRolledBackServerGroup", "disableRolledBackServerGroupTask")];

    public void PrepareForRestart(JsonObject context) => ClouddriverStage.Forget(context);
}
