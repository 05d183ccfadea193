using Delivery.Orchestrator.Expressions;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine;

/// <summary>Evaluates a stage's <c>${...}</c> expressions when it starts.</summary>
public interface IStageExpressions
{
    /// <summary>
    /// Replaces the stage context with its evaluated form and returns the expressions that failed
    /// (their strings are left as written, as Orca's ContextParameterProcessor leaves them).
    /// Throws <see cref="ExpressionBudgetException"/> when the stage's expressions together exceed their budget.
    /// </summary>
    IReadOnlyList<ExpressionError> ProcessContext(PipelineExecution execution, StageExecution stage);

    /// <summary>
    /// Evaluates <c>stageEnabled</c> (true when absent). Throws <see cref="ExpressionException"/>
    /// when it cannot be evaluated: Orca then skips the stage.
    /// </summary>
    bool IsEnabled(PipelineExecution execution, StageExecution stage);
}
