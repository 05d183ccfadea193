using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions;

/// <summary>The result of <see cref="ExpressionEvaluator.ProcessTree"/>: a new tree plus the expressions that failed.</summary>
/// <param name="Value">The processed copy of the input tree. Strings whose expressions failed are left unchanged.</param>
/// <param name="Errors">One entry per failed expression, in document order.</param>
public sealed record ExpressionResult(JsonNode? Value, IReadOnlyList<ExpressionError> Errors)
{
    /// <summary>True when every expression in the tree evaluated successfully.</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>A failed expression found while processing a tree.</summary>
/// <param name="Expression">The failing expression text, including its <c>${ }</c> delimiters.</param>
/// <param name="Message">Why it failed.</param>
public sealed record ExpressionError(string Expression, string Message);
