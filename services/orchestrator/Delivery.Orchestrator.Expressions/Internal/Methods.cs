using System.Globalization;
using System.Text;

namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>The allow-listed methods, dispatched by receiver type. Nothing else can be invoked.</summary>
internal static class Methods
{
    public static object? Invoke(string name, object target, object?[] args, EvalContext ctx)
    {
        ctx.Tick();
        if (JavaIdioms.TryInvoke(name, target, args, out var javaResult))
        {
            return javaResult;
        }

        switch (target)
        {
            case string s:
                return InvokeOnString(name, s, args, ctx);
            case var _ when Values.IsList(target):
                return InvokeOnList(name, target, args, ctx);
            case var _ when Values.IsMap(target):
                return InvokeOnMap(name, target, args, ctx);
            default:
                return name switch
                {
                    "toString" => Arity(name, args, 0) ? Values.ToText(target, ctx) : null,
                    "equals" => Arity(name, args, 1) ? Values.AreEqual(target, args[0], ctx) : null,
                    _ => throw NotAvailable(name, target),
                };
        }
    }

    private static object? InvokeOnString(string name, string s, object?[] args, EvalContext ctx)
    {
        switch (name)
        {
            case "toLowerCase":
                Arity(name, args, 0);
                return s.ToLowerInvariant();
            case "toUpperCase":
                Arity(name, args, 0);
                return s.ToUpperInvariant();
            case "contains":
                Arity(name, args, 1);
                return s.Contains(Text(name, args[0], ctx), StringComparison.Ordinal);
            case "startsWith":
                Arity(name, args, 1);
                return s.StartsWith(Text(name, args[0], ctx), StringComparison.Ordinal);
            case "endsWith":
                Arity(name, args, 1);
                return s.EndsWith(Text(name, args[0], ctx), StringComparison.Ordinal);
            case "split":
                Arity(name, args, 1);
                return RegexSupport.Split(s, Text(name, args[0], ctx), ctx);
            case "replace":
                Arity(name, args, 2);
                return ReplaceLiteral(s, Text(name, args[0], ctx), Text(name, args[1], ctx), ctx);
            case "replaceAll":
                Arity(name, args, 2);
                return RegexSupport.ReplaceAll(s, Text(name, args[0], ctx), Text(name, args[1], ctx), ctx);
            case "substring":
                Arity(name, args, 1, 2);
                var begin = Integer(name, args[0]);
                var end = args.Length == 2 ? Integer(name, args[1]) : s.Length;
                if (begin < 0 || end > s.Length || begin > end)
                {
                    throw new ExpressionFailure($"substring({begin}, {end}) is out of range for a string of length {s.Length}");
                }

                return s[(int)begin..(int)end];
            case "indexOf":
                Arity(name, args, 1, 2);
                var from = args.Length == 2 ? Math.Clamp(Integer(name, args[1]), 0, s.Length) : 0;
                return (long)s.IndexOf(Text(name, args[0], ctx), (int)from, StringComparison.Ordinal);
            case "trim":
                Arity(name, args, 0);
                return JavaTrim(s);
            case "length":
                Arity(name, args, 0);
                return (long)s.Length;
            case "isEmpty":
                Arity(name, args, 0);
                return s.Length == 0;
            case "equals":
                Arity(name, args, 1);
                return args[0] is string other && string.Equals(s, other, StringComparison.Ordinal);
            case "equalsIgnoreCase":
                Arity(name, args, 1);
                return args[0] is string candidate && string.Equals(s, candidate, StringComparison.OrdinalIgnoreCase);
            case "toString":
                Arity(name, args, 0);
                return s;
            default:
                throw NotAvailable(name, s);
        }
    }

    private static object? InvokeOnList(string name, object list, object?[] args, EvalContext ctx)
    {
        switch (name)
        {
            case "size":
                Arity(name, args, 0);
                return (long)Values.Count(list);
            case "isEmpty":
                Arity(name, args, 0);
                return Values.Count(list) == 0;
            case "contains":
                Arity(name, args, 1);
                foreach (var item in Values.Items(list))
                {
                    if (Values.AreEqual(item, args[0], ctx))
                    {
                        return true;
                    }
                }

                return false;
            case "get":
                Arity(name, args, 1);
                var index = Integer(name, args[0]);
                var count = Values.Count(list);
                if (index < 0 || index >= count)
                {
                    throw new ExpressionFailure($"index {index} is out of bounds for a list of length {count}");
                }

                return Values.Item(list, (int)index);
            case "equals":
                Arity(name, args, 1);
                return Values.AreEqual(list, args[0], ctx);
            case "toString":
                Arity(name, args, 0);
                return Values.ToJson(list, ctx);
            default:
                throw NotAvailable(name, list);
        }
    }

    private static object? InvokeOnMap(string name, object map, object?[] args, EvalContext ctx)
    {
        switch (name)
        {
            case "containsKey":
                Arity(name, args, 1);
                return args[0] is string key && Values.TryGetMember(map, key, out _);
            case "get":
                Arity(name, args, 1);
                return args[0] is string k && Values.TryGetMember(map, k, out var member) ? member : null;
            case "size":
                Arity(name, args, 0);
                return (long)Values.Count(map);
            case "isEmpty":
                Arity(name, args, 0);
                return Values.Count(map) == 0;
            case "equals":
                Arity(name, args, 1);
                return Values.AreEqual(map, args[0], ctx);
            case "toString":
                Arity(name, args, 0);
                return Values.ToJson(map, ctx);
            default:
                throw NotAvailable(name, map);
        }
    }

    private static ExpressionFailure NotAvailable(string name, object target) =>
        new($"method '{name}' is not available on a {Values.TypeName(target)}");

    private static bool Arity(string name, object?[] args, int min, int? max = null)
    {
        var upper = max ?? min;
        if (args.Length < min || args.Length > upper)
        {
            var expected = min == upper ? $"{min}" : $"{min} to {upper}";
            throw new ExpressionFailure($"method '{name}' expects {expected} argument(s) but got {args.Length}");
        }

        return true;
    }

    private static string Text(string method, object? arg, EvalContext ctx) => arg switch
    {
        string s => s,
        long or double or bool => Values.ToText(arg, ctx),
        _ => throw new ExpressionFailure($"method '{method}' needs a string argument, not {Values.Describe(arg)}"),
    };

    private static long Integer(string method, object? arg) => arg switch
    {
        long l => l,
        double d when d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (long)d,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new ExpressionFailure($"method '{method}' needs an integer argument, not {Values.Describe(arg)}"),
    };

    /// <summary>Java <c>String.replace(CharSequence, CharSequence)</c>: literal, every occurrence.</summary>
    private static string ReplaceLiteral(string s, string target, string replacement, EvalContext ctx)
    {
        if (target.Length == 0)
        {
            // Java inserts the replacement before every character and at the end.
            ctx.CheckLength(s.Length + ((long)s.Length + 1) * replacement.Length, "the result of replace");
            var sb = new StringBuilder(s.Length + (s.Length + 1) * replacement.Length);
            sb.Append(replacement);
            foreach (var c in s)
            {
                sb.Append(c).Append(replacement);
            }

            return sb.ToString();
        }

        long occurrences = 0;
        for (var i = s.IndexOf(target, StringComparison.Ordinal); i >= 0; i = s.IndexOf(target, i + target.Length, StringComparison.Ordinal))
        {
            occurrences++;
        }

        ctx.CheckLength(s.Length + occurrences * (replacement.Length - target.Length), "the result of replace");
        return s.Replace(target, replacement, StringComparison.Ordinal);
    }

    /// <summary>Java <c>String.trim</c>: removes leading and trailing characters up to U+0020.</summary>
    private static string JavaTrim(string s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && s[start] <= ' ')
        {
            start++;
        }

        while (end > start && s[end - 1] <= ' ')
        {
            end--;
        }

        return s[start..end];
    }
}
