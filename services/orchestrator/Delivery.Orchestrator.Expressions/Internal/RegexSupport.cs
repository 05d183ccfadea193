using System.Text;
using System.Text.RegularExpressions;

namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>
/// Java-flavoured regex operations (<c>matches</c>, <c>replaceAll</c>, <c>split</c>) on .NET's regex engine, always
/// with a match timeout equal to the time left for the expression.
/// </summary>
internal static class RegexSupport
{
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    /// <summary>Java <c>String.matches</c>: the whole input must match.</summary>
    public static bool IsFullMatch(string input, string pattern, EvalContext ctx)
    {
        Validate(pattern, ctx);
        return Run(() => Regex.IsMatch(input, $"\\A(?:{pattern})\\z", Options, ctx.Deadline.Remaining), pattern, ctx);
    }

    /// <summary>Java <c>String.replaceAll</c>, including Java's <c>$1</c> / <c>\$</c> replacement syntax.</summary>
    public static string ReplaceAll(string input, string pattern, string javaReplacement, EvalContext ctx)
    {
        Validate(pattern, ctx);
        var replacement = ConvertReplacement(javaReplacement);
        long length = input.Length;
        var result = Run(
            () => Regex.Replace(
                input,
                pattern,
                match =>
                {
                    ctx.Tick();
                    var result = match.Result(replacement);
                    length += result.Length - match.Length;
                    ctx.CheckSingleLength(length, "the result of replaceAll");
                    return result;
                },
                Options,
                ctx.Deadline.Remaining),
            pattern,
            ctx);
        ctx.CheckLength(result.Length, "the result of replaceAll");
        return result;
    }

    /// <summary>Java <c>String.split(regex)</c>: no captured groups in the output, trailing empty strings removed.</summary>
    public static List<object?> Split(string input, string pattern, EvalContext ctx)
    {
        Validate(pattern, ctx);
        return Run(
            () =>
            {
                var parts = new List<object?>();
                var index = 0;
                foreach (Match match in Regex.Matches(input, pattern, Options, ctx.Deadline.Remaining))
                {
                    ctx.Tick();
                    if (match.Length == 0 && match.Index == 0)
                    {
                        continue; // Java 8+: a zero-width match at the start never produces a leading empty string
                    }

                    parts.Add(input[index..match.Index]);
                    index = match.Index + match.Length;
                }

                if (parts.Count == 0)
                {
                    return [input];
                }

                parts.Add(input[index..]);
                while (parts.Count > 0 && parts[^1] is "")
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                return parts;
            },
            pattern,
            ctx);
    }

    private static void Validate(string pattern, EvalContext ctx)
    {
        if (pattern.Length > ctx.Limits.MaxExpressionLength)
        {
            throw new ExpressionFailure(
                $"the regular expression is {pattern.Length} characters long, exceeding the limit of {ctx.Limits.MaxExpressionLength}");
        }

        // Parse the pattern on its own first, so that wrapping it (\A(?:...)\z) cannot change an invalid pattern's meaning.
        Run(() => Regex.IsMatch(string.Empty, pattern, Options, ctx.Deadline.Remaining), pattern, ctx);
    }

    private static T Run<T>(Func<T> operation, string pattern, EvalContext ctx)
    {
        try
        {
            return operation();
        }
        catch (RegexMatchTimeoutException)
        {
            throw new ExpressionFailure(
                $"regular expression '{Values.Truncate(pattern, 60)}' exceeded the time limit of {ctx.Limits.Timeout.TotalMilliseconds:0} ms",
                cacheable: false);
        }
        catch (ArgumentException ex)
        {
            throw new ExpressionFailure($"invalid regular expression '{Values.Truncate(pattern, 60)}': {ex.Message}", ex);
        }
    }

    /// <summary>Java replacement syntax (<c>$1</c>, <c>${name}</c>, <c>\x</c> escapes) to .NET syntax.</summary>
    private static string ConvertReplacement(string java)
    {
        var sb = new StringBuilder(java.Length);
        for (var i = 0; i < java.Length; i++)
        {
            var c = java[i];
            if (c == '\\')
            {
                if (++i >= java.Length)
                {
                    throw new ExpressionFailure("the replacement ends with an unescaped '\\'");
                }

                sb.Append(java[i] == '$' ? "$$" : java[i].ToString());
            }
            else if (c == '$')
            {
                if (i + 1 < java.Length && char.IsAsciiDigit(java[i + 1]))
                {
                    sb.Append('$');
                }
                else if (i + 1 < java.Length && java[i + 1] == '{' && java.IndexOf('}', i + 2) > i + 2)
                {
                    sb.Append('$');
                }
                else
                {
                    throw new ExpressionFailure("illegal group reference in the replacement (escape a literal '$' as '\\$')");
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
