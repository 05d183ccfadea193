namespace Delivery.Orchestrator.Expressions;

/// <summary>Thrown when an expression cannot be parsed or evaluated, or violates a safety limit.</summary>
public sealed class ExpressionException : Exception
{
    private const int MaxQuotedLength = 200;

    public ExpressionException(string expression, string reason)
        : this(expression, reason, null)
    {
    }

    public ExpressionException(string expression, string reason, Exception? innerException)
        : base(FormatMessage(expression, reason), innerException)
    {
        Expression = expression;
        Reason = reason;
    }

    /// <summary>The expression that failed (as passed in, possibly with its <c>${ }</c> delimiters).</summary>
    public string Expression { get; }

    /// <summary>Why it failed, without the expression text.</summary>
    public string Reason { get; }

    private static string FormatMessage(string expression, string reason)
    {
        var quoted = expression.Length <= MaxQuotedLength
            ? expression
            : string.Concat(expression.AsSpan(0, MaxQuotedLength), "...");
        return $"Failed to evaluate expression [{quoted}]: {reason}";
    }
}
