using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>
/// Runtime values of the interpreter. A value is one of:
/// <c>null</c>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/> (always finite), <see cref="string"/>,
/// <see cref="JsonObject"/> / <see cref="JsonArray"/> (borrowed from the input tree, never mutated),
/// <see cref="List{T}"/> of values (lists built by the expression) or
/// <see cref="OrderedDictionary{TKey,TValue}"/> of string to value (maps built by the expression).
/// </summary>
internal static partial class Values
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Spinnaker (Jackson) does not HTML-escape; the output is data, never embedded into HTML by this library.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        MaxDepth = 1000,
    };

    public static object? FromNode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o,
        JsonArray a => a,
        JsonValue v => FromJsonValue(v),
        _ => throw new ExpressionFailure("unsupported JSON node"),
    };

    /// <summary>
    /// Reads a string value. False for non-strings and for strings System.Text.Json cannot decode (e.g. an escaped
    /// lone surrogate such as <c>"\ud800"</c> in parsed JSON), instead of throwing.
    /// </summary>
    public static bool TryReadString(JsonValue value, [NotNullWhen(true)] out string? text)
    {
        text = null;
        try
        {
            if (value.GetValueKind() != JsonValueKind.String)
            {
                return false;
            }

            if (value.TryGetValue(out text))
            {
                return true;
            }

            using var doc = JsonDocument.Parse(value.ToJsonString());
            text = doc.RootElement.GetString();
            return text is not null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException or ArgumentException)
        {
            text = null;
            return false;
        }
    }

    private static object? FromJsonValue(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return TryReadString(value, out var s)
                    ? s
                    : throw new ExpressionFailure("a string in the data is not valid text (e.g. a lone surrogate) and cannot be read");

            case JsonValueKind.Number:
                if (value.TryGetValue<long>(out var l))
                {
                    return l;
                }

                if (value.TryGetValue<int>(out var i))
                {
                    return (long)i;
                }

                if (value.TryGetValue<double>(out var d) && double.IsFinite(d))
                {
                    return d;
                }

                var text = value.ToJsonString();
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out l))
                {
                    return l;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && double.IsFinite(d))
                {
                    return d;
                }

                throw new ExpressionFailure($"unsupported number '{text}'");
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            default:
                // A JsonValue wrapping an object or array (e.g. a JsonElement): re-read it as a node.
                try
                {
                    return FromNode(JsonNode.Parse(value.ToJsonString()));
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException)
                {
                    throw new ExpressionFailure("a value in the data cannot be read as JSON: " + ex.Message, ex);
                }
        }
    }

    public static string TypeName(object? value) => value switch
    {
        null => "null",
        bool => "boolean",
        long or double => "number",
        string => "string",
        JsonObject or OrderedDictionary<string, object?> => "map",
        JsonArray or List<object?> => "list",
        JavaDate => "date",
        JavaDateFormat => "date format",
        _ => "unknown",
    };

    public static bool IsNumber(object? value) => value is long or double;

    public static double ToDouble(object value) => value is long l ? l : (double)value;

    public static object Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ExpressionFailure("arithmetic result is not a finite number");
        }

        return value;
    }

    // ---- lists ----

    public static bool IsList(object? value) => value is JsonArray or List<object?>;

    public static int Count(object list) => list switch
    {
        JsonArray a => a.Count,
        List<object?> l => l.Count,
        JsonObject o => o.Count,
        OrderedDictionary<string, object?> m => m.Count,
        _ => throw new ExpressionFailure($"a {TypeName(list)} has no size"),
    };

    public static object? Item(object list, int index) => list switch
    {
        JsonArray a => FromNode(a[index]),
        List<object?> l => l[index],
        _ => throw new ExpressionFailure($"cannot index into a {TypeName(list)}"),
    };

    public static IEnumerable<object?> Items(object list)
    {
        switch (list)
        {
            case JsonArray a:
                foreach (var node in a)
                {
                    yield return FromNode(node);
                }

                break;
            case List<object?> l:
                foreach (var item in l)
                {
                    yield return item;
                }

                break;
            default:
                throw new ExpressionFailure($"a {TypeName(list)} is not a list");
        }
    }

    // ---- maps ----

    public static bool IsMap(object? value) => value is JsonObject or OrderedDictionary<string, object?>;

    public static bool TryGetMember(object? map, string key, out object? member)
    {
        switch (map)
        {
            case JsonObject o when o.TryGetPropertyValue(key, out var node):
                member = FromNode(node);
                return true;
            case OrderedDictionary<string, object?> m when m.TryGetValue(key, out var v):
                member = v;
                return true;
            default:
                member = null;
                return false;
        }
    }

    public static IEnumerable<KeyValuePair<string, object?>> Entries(object map)
    {
        switch (map)
        {
            case JsonObject o:
                foreach (var (key, node) in o)
                {
                    yield return new KeyValuePair<string, object?>(key, FromNode(node));
                }

                break;
            case OrderedDictionary<string, object?> m:
                foreach (var entry in m)
                {
                    yield return entry;
                }

                break;
            default:
                throw new ExpressionFailure($"a {TypeName(map)} is not a map");
        }
    }

    // ---- truthiness ----

    public static bool ToBoolean(object? value, string role)
    {
        switch (value)
        {
            case bool b:
                return b;
            case string s when s.Trim().Equals("true", StringComparison.OrdinalIgnoreCase):
                return true;
            case string s when s.Trim().Equals("false", StringComparison.OrdinalIgnoreCase):
                return false;
            default:
                throw new ExpressionFailure($"{role} must be a boolean but was {Describe(value)}");
        }
    }

    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"the string '{Truncate(s, 50)}'",
        _ => $"a {TypeName(value)}",
    };

    public static string Truncate(string s, int max) => s.Length <= max ? s : string.Concat(s.AsSpan(0, max), "...");

    // ---- equality and ordering ----

    public static bool AreEqual(object? a, object? b, EvalContext ctx)
    {
        ctx.Tick();
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is long la && b is long lb)
        {
            return la == lb;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a) == ToDouble(b);
        }

        if (a is string sa && b is string sb)
        {
            return string.Equals(sa, sb, StringComparison.Ordinal);
        }

        if (a is bool ba && b is bool bb)
        {
            return ba == bb;
        }

        if (IsList(a) && IsList(b))
        {
            if (Count(a) != Count(b))
            {
                return false;
            }

            using var left = Items(a).GetEnumerator();
            using var right = Items(b).GetEnumerator();
            while (left.MoveNext() && right.MoveNext())
            {
                if (!AreEqual(left.Current, right.Current, ctx))
                {
                    return false;
                }
            }

            return true;
        }

        if (IsMap(a) && IsMap(b))
        {
            if (Count(a) != Count(b))
            {
                return false;
            }

            foreach (var (key, value) in Entries(a))
            {
                if (!TryGetMember(b, key, out var other) || !AreEqual(value, other, ctx))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    /// <summary>Java-style ordering: numbers, strings (ordinal), booleans; null sorts before everything.</summary>
    public static int Compare(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        if (a is long la && b is long lb)
        {
            return la.CompareTo(lb);
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a).CompareTo(ToDouble(b));
        }

        if (a is string sa && b is string sb)
        {
            return Math.Sign(string.CompareOrdinal(sa, sb));
        }

        if (a is bool ba && b is bool bb)
        {
            return ba.CompareTo(bb);
        }

        throw new ExpressionFailure($"cannot compare {Describe(a)} with {Describe(b)}");
    }
}
