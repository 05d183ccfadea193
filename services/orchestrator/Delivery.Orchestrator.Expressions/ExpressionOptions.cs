namespace Delivery.Orchestrator.Expressions;

/// <summary>
/// Limits applied to every expression evaluated by an <see cref="ExpressionEvaluator"/>.
/// The evaluator takes a snapshot of these values when it is constructed.
/// </summary>
public sealed class ExpressionOptions
{
    /// <summary>Maximum wall-clock time for parsing and evaluating one expression (regex matching included).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Maximum nesting depth of an expression (parentheses, arguments, brackets, prefix operators, ...).</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>Maximum length, in characters, of any string or JSON value produced by an expression.</summary>
    public int MaxResultLength { get; set; } = 1_000_000;

    /// <summary>Maximum length, in characters, of the text of one expression.</summary>
    public int MaxExpressionLength { get; set; } = 10_000;
}
