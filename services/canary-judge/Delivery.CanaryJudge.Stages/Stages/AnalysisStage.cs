using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Stages.Tasks;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.CanaryJudge.Stages.Stages;

/// <summary>
/// <c>analysis</c>: threshold analysis as Argo Rollouts' <c>AnalysisTemplate</c> and Flagger's metric checks, for teams
/// without a baseline: <c>metrics</c> measured every <c>interval</c>, each measurement checked against a condition on
/// its <c>result</c> (see <see cref="RunAnalysisTask"/> and <see cref="Support.AnalysisMetric"/>).
/// </summary>
internal sealed class AnalysisStage : IStageDefinition
{
    public string Type => "analysis";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("runAnalysis", "runAnalysisTask")];

    public void PrepareForRestart(JsonObject context)
    {
        foreach (var key in RunAnalysisTask.Keys)
        {
            context.Remove(key);
        }
    }
}
