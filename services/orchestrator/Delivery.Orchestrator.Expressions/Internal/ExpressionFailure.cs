namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>
/// Internal failure raised while parsing or evaluating. The public API converts it into an
/// <see cref="ExpressionException"/> that also carries the expression text.
/// </summary>
internal sealed class ExpressionFailure : Exception
{
    public ExpressionFailure(string reason, bool cacheable = true)
        : base(reason)
    {
        Cacheable = cacheable;
    }

    public ExpressionFailure(string reason, Exception innerException)
        : base(reason, innerException)
    {
        Cacheable = true;
    }

    /// <summary>
    /// False when the failure depends on the circumstances of one run (time limit, stack space) rather than on the
    /// expression text, so a parse failure must not be remembered in the parse cache.
    /// </summary>
    public bool Cacheable { get; }
}
