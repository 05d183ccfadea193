using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Expressions.Internal;

namespace Delivery.Orchestrator.Expressions;

/// <summary>
/// Safe interpreter for the subset of Spring Expression Language (SpEL) used in Spinnaker pipelines.
/// Expressions are tokenized, parsed and evaluated by hand-written code over <see cref="JsonNode"/> values: there is
/// no reflection, no type access and no method outside a fixed allow-list. Every evaluation is bounded in time,
/// nesting depth and result size (see <see cref="ExpressionOptions"/>).
/// </summary>
/// <remarks>
/// Instances are thread-safe and meant to be shared. The trees passed in are only read, never modified, but they
/// must not be modified by others while an evaluation is running.
/// </remarks>
public sealed class ExpressionEvaluator
{
    private const int MaxCacheEntries = 10_000;
    private const int MaxCachedExpressionLength = 2_048;

    private readonly Limits _limits;
    private readonly ConcurrentDictionary<string, ParseOutcome> _cache = new(StringComparer.Ordinal);
    private int _cacheCount;

    public ExpressionEvaluator(ExpressionOptions? options = null)
    {
        _limits = Limits.From(options ?? new ExpressionOptions());
    }

    /// <summary>True if any string value anywhere in the tree contains <c>${</c>. Property names are not inspected.</summary>
    public static bool ContainsExpressions(JsonNode? node)
    {
        if (node is null)
        {
            return false;
        }

        var pending = new Stack<JsonNode>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject obj:
                    foreach (var (_, child) in obj)
                    {
                        if (child is not null)
                        {
                            pending.Push(child);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        if (child is not null)
                        {
                            pending.Push(child);
                        }
                    }

                    break;
                case JsonValue value when Values.TryReadString(value, out var s) &&
                                          s.Contains(TemplateScanner.Prefix, StringComparison.Ordinal):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Returns a new tree in which every string value containing <c>${...}</c> is evaluated, like Spinnaker's
    /// ContextParameterProcessor: a string that is exactly one expression takes the expression's typed value; a
    /// string mixing text and expressions becomes a string. A string with a failing expression is kept unchanged
    /// and the failure is reported in <see cref="ExpressionResult.Errors"/>. The input tree is not modified.
    /// </summary>
    /// <exception cref="ExpressionBudgetException"><paramref name="budget"/> ran out.</exception>
    public ExpressionResult ProcessTree(JsonNode? node, JsonObject root, ExpressionBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var errors = new List<ExpressionError>();
        var processed = ProcessNode(node, root, errors, budget);
        return new ExpressionResult(processed, errors);
    }

    /// <summary>
    /// Evaluates one expression, written with or without its surrounding <c>${ }</c>, against <paramref name="root"/>.
    /// A string starting with <c>${</c> is treated as a template (text around or between expressions makes the
    /// result a string).
    /// </summary>
    /// <exception cref="ExpressionException">The expression is invalid, failed, or exceeded a limit.</exception>
    public JsonNode? Evaluate(string expression, JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(root);
        var value = EvaluateToValue(expression, root);
        return Convert(expression, () =>
        {
            CheckResultSize(value);
            return Values.ToNode(value);
        });
    }

    /// <summary>
    /// Evaluates a condition (stageEnabled, preconditions). The result must be a boolean or the string
    /// <c>"true"</c>/<c>"false"</c>.
    /// </summary>
    /// <exception cref="ExpressionException">The expression failed or its result is not a boolean.</exception>
    public bool EvaluateCondition(string expression, JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(root);
        var value = EvaluateToValue(expression, root);
        return Convert(expression, () => Values.ToBoolean(value, "the condition"));
    }

    private object? EvaluateToValue(string expression, JsonObject root)
    {
        var trimmed = expression.Trim();
        if (!trimmed.StartsWith(TemplateScanner.Prefix, StringComparison.Ordinal))
        {
            return EvaluateExpression(expression, expression, root, out _);
        }

        var template = TemplateScanner.Scan(trimmed);
        if (template.Error is not null)
        {
            throw new ExpressionException(template.ErrorSnippet!, template.Error);
        }

        if (template.IsSingleExpression)
        {
            return EvaluateExpression(template.Segments[0].Text, template.Segments[0].Snippet, root, out _);
        }

        var text = new StringBuilder();
        foreach (var segment in template.Segments)
        {
            if (!segment.IsExpression)
            {
                text.Append(segment.Text);
            }
            else
            {
                var value = EvaluateExpression(segment.Text, segment.Snippet, root, out var ctx);
                text.Append(Convert(segment.Snippet, () => Values.ToInterpolatedText(value, ctx)));
            }

            if (text.Length > _limits.MaxResultLength)
            {
                throw new ExpressionException(expression, ResultTooLong);
            }
        }

        return text.ToString();
    }

    /// <summary>Parses (with caching) and evaluates one expression without delimiters.</summary>
    private object? EvaluateExpression(string text, string displayed, JsonObject root, out EvalContext ctx)
    {
        var deadline = new Deadline(_limits.Timeout);
        var context = new EvalContext(root, _limits, deadline);
        ctx = context;
        return Convert(displayed, () => Parse(text, deadline).Eval(context));
    }

    private Node Parse(string text, Deadline deadline)
    {
        if (text.Length > _limits.MaxExpressionLength)
        {
            throw new ExpressionFailure(
                $"the expression is {text.Length} characters long, exceeding the maximum expression length of {_limits.MaxExpressionLength}");
        }

        if (_cache.TryGetValue(text, out var cached))
        {
            return cached.Node ?? throw new ExpressionFailure(cached.Error!);
        }

        ParseOutcome outcome;
        try
        {
            outcome = new ParseOutcome(Parser.Parse(text, _limits, deadline), null);
        }
        catch (ExpressionFailure failure) when (failure.Cacheable)
        {
            outcome = new ParseOutcome(null, failure.Message);
        }

        if (text.Length <= MaxCachedExpressionLength && _cache.TryAdd(text, outcome) &&
            Interlocked.Increment(ref _cacheCount) > MaxCacheEntries)
        {
            // Simple bound: start over rather than track usage. Re-parsing is cheap.
            _cache.Clear();
            Interlocked.Exchange(ref _cacheCount, 0);
        }

        return outcome.Node ?? throw new ExpressionFailure(outcome.Error!);
    }

    /// <summary>Runs evaluation code, turning every failure into an <see cref="ExpressionException"/>.</summary>
    private static T Convert<T>(string expression, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ExpressionFailure failure)
        {
            throw new ExpressionException(expression, failure.Message, failure);
        }
        catch (ExpressionException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Defensive: a bug must fail the expression, never the caller.
            throw new ExpressionException(expression, $"internal error ({ex.GetType().Name}): {ex.Message}", ex);
        }
    }

    private long CheckResultSize(object? value)
    {
        var length = value is string s ? s.Length : Values.MeasureJson(value, _limits.MaxResultLength);
        if (length > _limits.MaxResultLength)
        {
            throw new ExpressionFailure(ResultTooLong);
        }

        return length;
    }

    private string ResultTooLong => $"the result exceeds the result size limit of {_limits.MaxResultLength} characters";

    private JsonNode? ProcessNode(JsonNode? node, JsonObject root, List<ExpressionError> errors, ExpressionBudget? budget)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ExpressionException("(tree)", "the tree is nested too deeply to process");
        }

        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    copy[key] = ProcessNode(child, root, errors, budget);
                }

                return copy;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var child in array)
                {
                    items.Add(ProcessNode(child, root, errors, budget));
                }

                return items;
            case JsonValue value when Values.TryReadString(value, out var s) &&
                                      s.Contains(TemplateScanner.Prefix, StringComparison.Ordinal):
                return ProcessString(s, value, root, errors, budget);
            default:
                return node.DeepClone();
        }
    }

    private JsonNode? ProcessString(string text, JsonValue original, JsonObject root, List<ExpressionError> errors, ExpressionBudget? budget)
    {
        var template = TemplateScanner.Scan(text);
        if (template.Error is not null)
        {
            errors.Add(ToError(new ExpressionException(template.ErrorSnippet!, template.Error)));
            return original.DeepClone();
        }

        if (template.IsSingleExpression)
        {
            var segment = template.Segments[0];
            budget?.BeforeExpression();
            try
            {
                var value = EvaluateExpression(segment.Text, segment.Snippet, root, out _);
                var length = Convert(segment.Snippet, () => CheckResultSize(value));
                budget?.Charge(length);
                return Convert(segment.Snippet, () => Values.ToNode(value));
            }
            catch (ExpressionException ex)
            {
                errors.Add(ToError(ex));
                return original.DeepClone();
            }
        }

        // Every expression is evaluated so that all failures are reported; any failure keeps the string unchanged.
        var sb = new StringBuilder();
        var failed = false;
        foreach (var segment in template.Segments)
        {
            if (!segment.IsExpression)
            {
                sb.Append(segment.Text);
                continue;
            }

            budget?.BeforeExpression();
            try
            {
                var value = EvaluateExpression(segment.Text, segment.Snippet, root, out var ctx);
                var piece = Convert(segment.Snippet, () => Values.ToInterpolatedText(value, ctx));
                budget?.Charge(piece.Length);
                if (!failed)
                {
                    sb.Append(piece);
                }
            }
            catch (ExpressionException ex)
            {
                errors.Add(ToError(ex));
                failed = true;
            }

            if (!failed && sb.Length > _limits.MaxResultLength)
            {
                errors.Add(ToError(new ExpressionException(text, ResultTooLong)));
                failed = true;
            }
        }

        return failed ? original.DeepClone() : JsonValue.Create(sb.ToString());
    }

    private static ExpressionError ToError(ExpressionException ex) => new(ex.Expression, ex.Message);

    private sealed record ParseOutcome(Node? Node, string? Error);
}
