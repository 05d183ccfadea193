using System.Diagnostics;

namespace Delivery.Orchestrator.Expressions;

/// <summary>
/// One allowance shared by every expression evaluated for one purpose (a stage start): how many expressions,
/// how many characters they may produce in total, and how long they may take together. Per-expression limits
/// (<see cref="ExpressionOptions"/>) alone would let 10,000 expressions of a million characters each through.
/// Not thread-safe: one budget serves one evaluation at a time.
/// </summary>
public sealed class ExpressionBudget(int maxExpressions = 2_000, long maxCharacters = 2_000_000, TimeSpan? maxTime = null)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _maxTime = maxTime ?? TimeSpan.FromSeconds(2);

    /// <summary>Expressions evaluated so far.</summary>
    public int Expressions { get; private set; }

    /// <summary>Characters produced so far (strings by length, other values by their JSON length).</summary>
    public long Characters { get; private set; }

    internal void BeforeExpression()
    {
        if (++Expressions > maxExpressions)
        {
            throw new ExpressionBudgetException($"more than {maxExpressions} expressions to evaluate");
        }
        if (Stopwatch.GetElapsedTime(_started) > _maxTime)
        {
            throw new ExpressionBudgetException($"evaluating them took longer than {_maxTime.TotalMilliseconds:0} ms");
        }
    }

    internal void Charge(long characters)
    {
        Characters += characters;
        if (Characters > maxCharacters)
        {
            throw new ExpressionBudgetException($"they produce more than {maxCharacters} characters");
        }
    }
}

/// <summary>Thrown when an <see cref="ExpressionBudget"/> runs out: the whole evaluation fails, not one expression.</summary>
public sealed class ExpressionBudgetException(string reason)
    : Exception($"The expressions exceed their budget: {reason}.")
{
    public string Reason { get; } = reason;
}
