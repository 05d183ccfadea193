using System.Globalization;
using System.Text;

namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>
/// The Java idioms real Spinnaker pipelines use, behind an explicit allow-list (no reflection, no type
/// access): the constructors <c>new Integer/Long/Double/Boolean/String(x)</c>, <c>new java.util.Date()</c>,
/// <c>new java.text.SimpleDateFormat(pattern)</c>, and the methods <c>intValue()</c>, <c>longValue()</c>,
/// <c>doubleValue()</c>, <c>getTime()</c> and <c>format(date)</c>, with Java's results.
/// </summary>
internal static class JavaIdioms
{
    private static readonly Dictionary<string, string> Constructors = new(StringComparer.Ordinal)
    {
        ["Integer"] = "Integer", ["java.lang.Integer"] = "Integer",
        ["Long"] = "Long", ["java.lang.Long"] = "Long",
        ["Double"] = "Double", ["java.lang.Double"] = "Double",
        ["Boolean"] = "Boolean", ["java.lang.Boolean"] = "Boolean",
        ["String"] = "String", ["java.lang.String"] = "String",
        ["Date"] = "Date", ["java.util.Date"] = "Date",
        ["SimpleDateFormat"] = "SimpleDateFormat", ["java.text.SimpleDateFormat"] = "SimpleDateFormat",
    };

    /// <summary>The methods this class adds to the parser's allow-list.</summary>
    public static readonly string[] MethodNames = ["intValue", "longValue", "doubleValue", "getTime", "format"];

    /// <summary>The allow-listed type a <c>new</c> names, or a failure that names the type refused.</summary>
    public static string CheckConstructor(string typeName) => Constructors.TryGetValue(typeName, out var canonical)
        ? canonical
        : throw new ExpressionFailure($"constructor 'new {Values.Truncate(typeName, 60)}(...)' is not allowed; allowed: new Integer, Long, Double, Boolean, String, java.util.Date, java.text.SimpleDateFormat");

    public static object? Construct(string type, object?[] args, EvalContext ctx)
    {
        return type switch
        {
            "Integer" => ToInt32(ParseWhole(type, One(type, args))),
            "Long" => ParseWhole(type, One(type, args)),
            "Double" => ParseReal(type, One(type, args)),
            "Boolean" => One(type, args) switch
            {
                bool b => b,
                var v => v is not null && string.Equals(Values.ToText(v, ctx), "true", StringComparison.OrdinalIgnoreCase),
            },
            "String" => args.Length == 0 ? string.Empty : Values.ToText(One(type, args), ctx),
            "Date" => args.Length switch
            {
                0 => new JavaDate(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
                1 when args[0] is long ms => new JavaDate(ms),
                _ => throw new ExpressionFailure("new java.util.Date takes no argument or a time in milliseconds"),
            },
            "SimpleDateFormat" => One(type, args) is string pattern
                ? new JavaDateFormat(pattern, JavaDateFormat.ToDotNet(pattern))
                : throw new ExpressionFailure("new java.text.SimpleDateFormat takes a pattern string"),
            _ => throw new ExpressionFailure($"constructor 'new {type}(...)' is not allowed"),
        };
    }

    /// <summary>Java's number methods on a number, <c>getTime()</c> on a date and <c>format(date)</c> on a date format; null when <paramref name="name"/> is none of them.</summary>
    public static bool TryInvoke(string name, object target, object?[] args, out object? result)
    {
        result = null;
        switch (name, target)
        {
            case ("intValue", long l) when args.Length == 0:
                result = (long)unchecked((int)l);
                return true;
            case ("intValue", double d) when args.Length == 0:
                result = (long)JavaDoubleToInt(d);
                return true;
            case ("longValue", long l) when args.Length == 0:
                result = l;
                return true;
            case ("longValue", double d) when args.Length == 0:
                result = double.IsNaN(d) ? 0L : d >= long.MaxValue ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)d;
                return true;
            case ("doubleValue", long or double) when args.Length == 0:
                result = Values.ToDouble(target);
                return true;
            case ("getTime", JavaDate date) when args.Length == 0:
                result = date.EpochMs;
                return true;
            case ("format", JavaDateFormat format) when args.Length == 1:
                result = format.Format(args[0] switch
                {
                    JavaDate date => date.EpochMs,
                    long ms => ms,
                    _ => throw new ExpressionFailure($"SimpleDateFormat.format takes a date, not {Values.Describe(args[0])}"),
                });
                return true;
            default:
                return false;
        }
    }

    private static long ToInt32(long value) => value is >= int.MinValue and <= int.MaxValue
        ? value
        : throw new ExpressionFailure($"new Integer({value}): out of the range of an int (Java's NumberFormatException)");

    /// <summary>Java's (int) cast of a double: truncates toward zero, saturates, NaN is 0.</summary>
    private static int JavaDoubleToInt(double d) =>
        double.IsNaN(d) ? 0 : d >= int.MaxValue ? int.MaxValue : d <= int.MinValue ? int.MinValue : (int)d;

    private static object? One(string type, object?[] args) => args.Length == 1
        ? args[0]
        : throw new ExpressionFailure($"new {type}(...) takes one argument, not {args.Length}");

    private static long ParseWhole(string type, object? value) => value switch
    {
        long l => l,
        double d when d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
        string s when long.TryParse(s.Trim() == s ? s : "x", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new ExpressionFailure($"new {type}({Values.Describe(value)}): not a whole number (Java's NumberFormatException)"),
    };

    private static double ParseReal(string type, object? value) => value switch
    {
        long l => l,
        double d => d,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new ExpressionFailure($"new {type}({Values.Describe(value)}): not a number (Java's NumberFormatException)"),
    };
}

/// <summary>A <c>java.util.Date</c>: milliseconds since the epoch; written as a number in JSON, as Jackson does.</summary>
internal sealed record JavaDate(long EpochMs)
{
    /// <summary>Java's <c>Date.toString()</c> in UTC, e.g. <c>Sun Nov 29 16:29:14 UTC 2026</c>.</summary>
    public override string ToString() =>
        DateTimeOffset.FromUnixTimeMilliseconds(EpochMs).ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);
}

/// <summary>A <c>java.text.SimpleDateFormat</c> (in UTC, the server's zone in Spinnaker's images).</summary>
internal sealed record JavaDateFormat(string Pattern, string DotNetFormat)
{
    public string Format(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).ToString(DotNetFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Translates a SimpleDateFormat pattern (letters G y M d H h m s S E a z Z X, quoted text) into a .NET
    /// custom format; any other letter is refused, as Java refuses it.
    /// </summary>
    public static string ToDotNet(string pattern)
    {
        if (pattern.Length > 200)
        {
            throw new ExpressionFailure("the SimpleDateFormat pattern is longer than 200 characters");
        }
        var result = new StringBuilder();
        for (var i = 0; i < pattern.Length;)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var end = pattern.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new ExpressionFailure($"unterminated quote in SimpleDateFormat pattern '{pattern}'");
                }
                var literal = end == i + 1 ? "'" : pattern[(i + 1)..end];
                result.Append('"').Append(literal.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                i = end + 1;
                continue;
            }
            if (!char.IsAsciiLetter(c))
            {
                result.Append('\\').Append(c);
                i++;
                continue;
            }
            var run = 1;
            while (i + run < pattern.Length && pattern[i + run] == c)
            {
                run++;
            }
            result.Append(c switch
            {
                'y' => run == 2 ? "yy" : "yyyy",
                'M' => run switch { 1 => "%M", 2 => "MM", 3 => "MMM", _ => "MMMM" },
                'd' => run == 1 ? "%d" : "dd",
                'H' => run == 1 ? "%H" : "HH",
                'h' => run == 1 ? "%h" : "hh",
                'm' => run == 1 ? "%m" : "mm",
                's' => run == 1 ? "%s" : "ss",
                'S' => new string('f', Math.Min(run, 7)),
                'E' => run <= 3 ? "ddd" : "dddd",
                'a' => "tt",
                'G' => "gg",
                'z' => "\"UTC\"",
                'Z' => "\"+0000\"",
                'X' => run == 1 ? "\"Z\"" : "\"Z\"",
                _ => throw new ExpressionFailure($"SimpleDateFormat pattern letter '{c}' is not supported"),
            });
            i += run;
        }
        return result.ToString();
    }
}
