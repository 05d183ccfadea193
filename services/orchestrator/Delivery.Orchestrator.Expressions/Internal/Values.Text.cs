using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>Values as text and JSON: concatenation, <c>toString()</c>, <c>#toJson</c>, and the JSON result of an expression.</summary>
internal static partial class Values
{
    // ---- conversion to text ----

    /// <summary>Java <c>String.valueOf</c>-like text: used by <c>+</c> concatenation and <c>toString()</c>.</summary>
    public static string ToText(object? value, EvalContext ctx) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        JavaDate date => date.ToString(),
        JavaDateFormat format => $"java.text.SimpleDateFormat[{format.Pattern}]",
        _ => ToJson(value, ctx),
    };

    /// <summary>Text of an expression embedded in a larger string: like <see cref="ToText"/> but null is empty.</summary>
    public static string ToInterpolatedText(object? value, EvalContext ctx) => value is null ? string.Empty : ToText(value, ctx);

    /// <summary>Formats a double like Java's <c>Double.toString</c> (e.g. <c>1.0</c>, <c>1.5E-5</c>).</summary>
    public static string FormatDouble(double d)
    {
        if (d == 0)
        {
            return double.IsNegative(d) ? "-0.0" : "0.0";
        }

        var abs = Math.Abs(d);
        if (abs is >= 1e-3 and < 1e7)
        {
            var plain = d.ToString("R", CultureInfo.InvariantCulture);
            return plain.Contains('.', StringComparison.Ordinal) ? plain : plain + ".0";
        }

        var r = abs.ToString("R", CultureInfo.InvariantCulture);
        var ePos = r.IndexOfAny(['E', 'e']);
        var mantissa = ePos < 0 ? r : r[..ePos];
        var exponent = ePos < 0 ? 0 : int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var pointPosition = point < 0 ? mantissa.Length : point;
        var trimmed = digits.TrimStart('0');
        pointPosition -= digits.Length - trimmed.Length;
        trimmed = trimmed.TrimEnd('0');
        if (trimmed.Length == 0)
        {
            trimmed = "0";
        }

        var exponent10 = exponent + pointPosition - 1;
        var fraction = trimmed.Length > 1 ? trimmed[1..] : "0";
        var sign = d < 0 ? "-" : string.Empty;
        return $"{sign}{trimmed[0]}.{fraction}E{exponent10.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Serializes a value as compact JSON, enforcing the result size limit.</summary>
    public static string ToJson(object? value, EvalContext ctx)
    {
        ctx.CheckSingleLength(MeasureJson(value, ctx.Limits.MaxResultLength), "the JSON text");
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                WriteJson(writer, value, ctx);
            }
        }
        catch (InvalidOperationException ex)
        {
            throw new ExpressionFailure("value cannot be written as JSON: " + ex.Message, ex);
        }

        var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        ctx.CheckLength(json.Length, "the JSON text");
        return json;
    }

    private static void WriteJson(Utf8JsonWriter writer, object? value, EvalContext ctx)
    {
        ctx.Tick();
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case JavaDate date:
                writer.WriteNumberValue(date.EpochMs);
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item, ctx);
                }

                writer.WriteEndArray();
                break;
            case OrderedDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item, ctx);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new ExpressionFailure($"cannot write a {TypeName(value)} as JSON");
        }
    }

    /// <summary>
    /// Approximate (unescaped) JSON length of a value. Stops counting as soon as <paramref name="limit"/> is exceeded,
    /// so measuring a huge value is cheap.
    /// </summary>
    public static long MeasureJson(object? value, long limit)
    {
        long total = 0;
        var pending = new Stack<object?>();
        pending.Push(value);
        while (pending.Count > 0 && total <= limit)
        {
            var current = pending.Pop();
            switch (current)
            {
                case null:
                    total += 4;
                    break;
                case bool b:
                    total += b ? 4 : 5;
                    break;
                case long or double:
                    total += 8;
                    break;
                case string s:
                    total += s.Length + 2;
                    break;
                case JsonObject o:
                    total += 2 + o.Count;
                    foreach (var (key, node) in o)
                    {
                        total += key.Length + 3;
                        pending.Push(node);
                    }

                    break;
                case JsonArray a:
                    total += 2 + a.Count;
                    foreach (var node in a)
                    {
                        pending.Push(node);
                    }

                    break;
                case JsonValue v:
                    total += TryReadString(v, out var str) ? str.Length + 2 : 8;
                    break;
                case List<object?> list:
                    total += 2 + list.Count;
                    foreach (var item in list)
                    {
                        pending.Push(item);
                    }

                    break;
                case OrderedDictionary<string, object?> map:
                    total += 2 + map.Count;
                    foreach (var (key, item) in map)
                    {
                        total += key.Length + 3;
                        pending.Push(item);
                    }

                    break;
                default:
                    total += 8;
                    break;
            }
        }

        return total;
    }

    /// <summary>Converts a value into a new, detached JSON node (borrowed input nodes are deep-cloned).</summary>
    public static JsonNode? ToNode(object? value)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ExpressionFailure("result is nested too deeply");
        }

        switch (value)
        {
            case null:
                return null;
            case bool b:
                return JsonValue.Create(b);
            case long l:
                return JsonValue.Create(l);
            case double d:
                return JsonValue.Create(d);
            case string s:
                return JsonValue.Create(s);
            case JavaDate date:
                return JsonValue.Create(date.EpochMs);
            case JsonNode node:
                return node.DeepClone();
            case List<object?> list:
                var array = new JsonArray();
                foreach (var item in list)
                {
                    array.Add(ToNode(item));
                }

                return array;
            case OrderedDictionary<string, object?> map:
                var obj = new JsonObject();
                foreach (var (key, item) in map)
                {
                    obj[key] = ToNode(item);
                }

                return obj;
            default:
                throw new ExpressionFailure($"cannot convert a {TypeName(value)} to JSON");
        }
    }
}
