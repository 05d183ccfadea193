using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Tasks;

/// <summary>
/// Waits for a person: <c>judgmentStatus</c> "continue" succeeds, "stop" fails the stage. The
/// judgment is recorded in the outputs (<c>judgmentStatus</c>, <c>judgmentInput</c>, <c>judgedBy</c>).
/// </summary>
public sealed class ManualJudgmentTask : IStageTask
{
    public string Name => "waitForJudgmentTask";

    /// <summary>Spinnaker's default: a judgment nobody gives within three days fails the stage.</summary>
    public TimeSpan? Timeout => TimeSpan.FromDays(3);

    public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var stage = context.Stage;
        var status = ContextValues.String(stage.Context["judgmentStatus"])?.ToLowerInvariant();
        if (status is not ("continue" or "stop"))
        {
            return ValueTask.FromResult(TaskResult.Running(null));
        }
        var judgedBy = ContextValues.String(stage.Context["lastModifiedBy"]) ?? "anonymous";
        var outputs = new JsonObject
        {
            ["judgmentStatus"] = status,
            ["judgmentInput"] = stage.Context["judgmentInput"]?.DeepClone(),
            ["judgedBy"] = judgedBy,
        };
        return ValueTask.FromResult(status == "continue"
            ? TaskResult.Succeeded(outputs: outputs)
            : new TaskResult(Contracts.ExecutionStatus.Terminal, Outputs: outputs, Error: $"Stopped by {judgedBy} at manual judgment."));
    }
}
