using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine;

/// <summary>Evaluates a stage's <c>${...}</c> expressions when it starts.</summary>
public interface IStageExpressions
{
    /// <summary>Replaces the stage context with its evaluated form; returns the failures (expression and reason).</summary>
    IReadOnlyList<string> ProcessContext(PipelineExecution execution, StageExecution stage);

    /// <summary>Evaluates <c>stageEnabled</c> (true when absent). Throws <see cref="InvalidOperationException"/> naming the expression when it cannot be evaluated.</summary>
    bool IsEnabled(PipelineExecution execution, StageExecution stage);
}
