using System.Globalization;
using System.Text;

namespace Delivery.Orchestrator.Integrations.Jenkins;

/// <summary>
/// Reads a Java <c>.properties</c> file: <c>key=value</c>, <c>key: value</c> or <c>key value</c>, comments
/// (<c>#</c>, <c>!</c>), lines continued with a trailing backslash, and escapes (<c>\t \n \r \f \uXXXX</c>, <c>\=</c>...).
/// </summary>
public static class JavaProperties
{
    public static Dictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in LogicalLines(text))
        {
            var i = 0;
            var key = new StringBuilder();
            while (i < line.Length && line[i] is not ('=' or ':' or ' ' or '\t' or '\f'))
            {
                i = Unescape(line, i, key);
            }
            while (i < line.Length && line[i] is ' ' or '\t' or '\f')
            {
                i++;
            }
            if (i < line.Length && line[i] is '=' or ':')
            {
                i++;
                while (i < line.Length && line[i] is ' ' or '\t' or '\f')
                {
                    i++;
                }
            }
            var value = new StringBuilder();
            while (i < line.Length)
            {
                i = Unescape(line, i, value);
            }
            result[key.ToString()] = value.ToString();
        }
        return result;
    }

    private static IEnumerable<string> LogicalLines(string text)
    {
        var pending = new StringBuilder();
        foreach (var raw in text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            var line = raw.TrimStart(' ', '\t', '\f');
            if (pending.Length == 0 && (line.Length == 0 || line[0] is '#' or '!'))
            {
                continue;
            }
            var trailing = 0;
            for (var j = line.Length - 1; j >= 0 && line[j] == '\\'; j--)
            {
                trailing++;
            }
            if (trailing % 2 == 1)
            {
                pending.Append(line, 0, line.Length - 1);
                continue;
            }
            pending.Append(line);
            yield return pending.ToString();
            pending.Clear();
        }
        if (pending.Length > 0)
        {
            yield return pending.ToString();
        }
    }

    private static int Unescape(string line, int i, StringBuilder into)
    {
        if (line[i] != '\\' || i + 1 >= line.Length)
        {
            into.Append(line[i]);
            return i + 1;
        }
        var c = line[i + 1];
        switch (c)
        {
            case 't': into.Append('\t'); break;
            case 'n': into.Append('\n'); break;
            case 'r': into.Append('\r'); break;
            case 'f': into.Append('\f'); break;
            case 'u' when i + 6 <= line.Length
                && int.TryParse(line.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                into.Append((char)code);
                return i + 6;
            default: into.Append(c); break;
        }
        return i + 2;
    }
}
