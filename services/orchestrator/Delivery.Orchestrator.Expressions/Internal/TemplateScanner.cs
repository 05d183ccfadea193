namespace Delivery.Orchestrator.Expressions.Internal;

/// <summary>One piece of a template string: literal text, or the inside of a <c>${...}</c>.</summary>
/// <param name="IsExpression">True for an expression.</param>
/// <param name="Text">Literal text, or the expression without its delimiters.</param>
/// <param name="Snippet">The source text of the segment (with <c>${ }</c> for an expression).</param>
internal readonly record struct TemplateSegment(bool IsExpression, string Text, string Snippet);

/// <summary>The segments of a template string, or why it could not be split.</summary>
internal sealed record TemplateParse(IReadOnlyList<TemplateSegment> Segments, string? ErrorSnippet, string? Error)
{
    /// <summary>True when the whole string is exactly one <c>${...}</c>: its value keeps its type.</summary>
    public bool IsSingleExpression => Segments is [{ IsExpression: true }];
}

/// <summary>
/// Splits strings like <c>"v${a.b}-${ {'k':'}'}['k'] }"</c> into literal and expression segments. Braces inside an
/// expression nest, and quoted string literals (with doubled-quote escapes) are skipped, so the closing brace is
/// found the way SpEL's template parser finds it.
/// </summary>
internal static class TemplateScanner
{
    public const string Prefix = "${";

    public static TemplateParse Scan(string text)
    {
        var segments = new List<TemplateSegment>();
        var position = 0;
        while (position < text.Length)
        {
            var start = text.IndexOf(Prefix, position, StringComparison.Ordinal);
            if (start < 0)
            {
                segments.Add(Literal(text[position..]));
                break;
            }

            if (start > position)
            {
                segments.Add(Literal(text[position..start]));
            }

            var end = FindClosingBrace(text, start + Prefix.Length);
            if (end < 0)
            {
                return new TemplateParse(segments, text[start..], "the expression has no closing '}'");
            }

            segments.Add(new TemplateSegment(true, text[(start + Prefix.Length)..end], text[start..(end + 1)]));
            position = end + 1;
        }

        return new TemplateParse(segments, null, null);
    }

    private static TemplateSegment Literal(string text) => new(false, text, text);

    private static int FindClosingBrace(string text, int from)
    {
        var depth = 0;
        var quote = '\0';
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    if (i + 1 < text.Length && text[i + 1] == quote)
                    {
                        i++; // doubled quote inside a literal
                    }
                    else
                    {
                        quote = '\0';
                    }
                }

                continue;
            }

            switch (c)
            {
                case '\'':
                case '"':
                    quote = c;
                    break;
                case '{':
                    depth++;
                    break;
                case '}' when depth == 0:
                    return i;
                case '}':
                    depth--;
                    break;
            }
        }

        return -1;
    }
}
