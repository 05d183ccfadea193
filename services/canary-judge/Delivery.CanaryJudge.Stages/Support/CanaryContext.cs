namespace Delivery.CanaryJudge.Stages.Support;

/// <summary>The keys a <c>kayentaCanary</c> stage's tasks record in its context and outputs.</summary>
internal static class CanaryContext
{
    /// <summary>What the baseline runs, taken from production: <c>{sourceServerGroup, artifact, env, healthCheckPath}</c>.</summary>
    public const string Baseline = "canary.baseline";

    /// <summary>The balancer weights production was pinned to while the pair runs.</summary>
    public const string ProductionWeights = "canary.productionWeights";

    /// <summary>The deployed baseline server group's name (also an output).</summary>
    public const string BaselineServerGroup = "baselineServerGroup";

    /// <summary>The deployed canary server group's name (also an output).</summary>
    public const string CanaryServerGroup = "canaryServerGroup";

    /// <summary>When the analysis starts (epoch ms): the first interval run plus <c>beginCanaryAnalysisAfterMins</c>.</summary>
    public const string AnalysisStart = "canary.analysisStart";

    /// <summary>The judgement in flight: <c>{index, judgementId, sentAt}</c>.</summary>
    public const string Pending = "canary.pendingJudgement";

    /// <summary>Output: every interval's score, in order (Orca's <c>canaryScores</c>).</summary>
    public const string Scores = "canaryScores";

    /// <summary>Output: every judged interval <c>{index, start, end, score, classification, reportId, reportUrl, metrics}</c>.</summary>
    public const string Intervals = "canaryIntervals";

    /// <summary>Every key the stage's own tasks record, forgotten when the stage restarts.</summary>
    public static readonly string[] All = [Baseline, ProductionWeights, BaselineServerGroup, CanaryServerGroup, AnalysisStart, Pending, Scores, Intervals,
        "canaryScoreMessage", "lastUpdated", "deployedServerGroups"];
}
