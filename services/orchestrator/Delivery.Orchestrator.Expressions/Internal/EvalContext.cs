using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>Immutable snapshot of <see cref="ExpressionOptions"/>.</summary>
internal sealed record Limits(TimeSpan Timeout, int MaxDepth, int MaxResultLength, int MaxExpressionLength)
{
    public static Limits From(ExpressionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Timeout must be positive.");
        }

        if (options.MaxDepth < 1 || options.MaxResultLength < 1 || options.MaxExpressionLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxDepth, MaxResultLength and MaxExpressionLength must be positive.");
        }

        return new Limits(options.Timeout, options.MaxDepth, options.MaxResultLength, options.MaxExpressionLength);
    }
}

/// <summary>Guards the time budget of one expression (parsing and evaluation).</summary>
internal sealed class Deadline
{
    private readonly long _deadlineTimestamp;
    private readonly TimeSpan _timeout;

    public Deadline(TimeSpan timeout)
    {
        _timeout = timeout;
        var ticks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _deadlineTimestamp = Stopwatch.GetTimestamp() + Math.Max(ticks, 1);
    }

    public void Check()
    {
        if (Stopwatch.GetTimestamp() > _deadlineTimestamp)
        {
            throw TimeoutFailure();
        }
    }

    /// <summary>Remaining time, at least one millisecond (used as a regex match timeout).</summary>
    public TimeSpan Remaining
    {
        get
        {
            var remaining = _deadlineTimestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                throw TimeoutFailure();
            }

            var span = TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency);
            return span < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : span;
        }
    }

    public ExpressionFailure TimeoutFailure() =>
        new($"evaluation exceeded the time limit of {_timeout.TotalMilliseconds:0} ms", cacheable: false);
}

/// <summary>State of one evaluation: root object, limits, deadline and the stack of <c>#this</c> values.</summary>
internal sealed class EvalContext
{
    /// <summary>
    /// All strings produced by one evaluation together may not exceed this many times the result size limit, so a
    /// projection cannot allocate unbounded memory from many pieces that are each under the limit.
    /// </summary>
    public const int TotalOutputFactor = 16;

    private readonly List<object?> _thisStack = [];
    private long _produced;

    public EvalContext(JsonObject root, Limits limits, Deadline deadline)
    {
        Root = root;
        Limits = limits;
        Deadline = deadline;
    }

    public JsonObject Root { get; }

    public Limits Limits { get; }

    public Deadline Deadline { get; }

    /// <summary>True inside a selection or projection.</summary>
    public bool HasElement => _thisStack.Count > 0;

    /// <summary>The current <c>#this</c>: the innermost selection/projection element, else the root.</summary>
    public object? This => _thisStack.Count > 0 ? _thisStack[^1] : Root;

    public void PushElement(object? element) => _thisStack.Add(element);

    public void PopElement() => _thisStack.RemoveAt(_thisStack.Count - 1);

    /// <summary>Called on entry to every AST node and in every loop.</summary>
    public void Tick()
    {
        Deadline.Check();
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ExpressionFailure("expression is nested too deeply to evaluate", cacheable: false);
        }
    }

    /// <summary>Checks the size of a string about to be produced, and counts it against the evaluation's total.</summary>
    public void CheckLength(long length, string what)
    {
        CheckSingleLength(length, what);
        _produced += length;
        var budget = (long)Limits.MaxResultLength * TotalOutputFactor;
        if (_produced > budget)
        {
            throw new ExpressionFailure(
                $"the expression produced more than {budget} characters in total ({TotalOutputFactor} times the result size limit of {Limits.MaxResultLength} characters)");
        }
    }

    /// <summary>Checks the size of one value without counting it (for estimates and running totals).</summary>
    public void CheckSingleLength(long length, string what)
    {
        if (length > Limits.MaxResultLength)
        {
            throw new ExpressionFailure(
                $"{what} would be {length} characters long, exceeding the result size limit of {Limits.MaxResultLength} characters");
        }
    }
}
