using System.Text;
using System.Text.RegularExpressions;

namespace Delivery.CanaryJudge.Metrics;

/// <summary>
/// Fills a PromQL template's <c>${scope}</c> and <c>${location}</c> (Kayenta's <c>customInlineTemplate</c>).
/// Values are escaped for a double-quoted PromQL string, where templates put them
/// (<c>{server_group="${scope}"}</c>), so a scope cannot change the query's shape.
/// </summary>
public static partial class PromQlTemplate
{
    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex Placeholder();

    /// <exception cref="MetricSourceException">The template names another placeholder, or <c>${location}</c> without a location.</exception>
    public static string Expand(string template, string scope, string? location) =>
        Placeholder().Replace(template, match => match.Groups[1].Value switch
        {
            "scope" => Escape(scope),
            "location" => location is not null ? Escape(location) : throw new MetricSourceException("The query uses ${location} but no location was given."),
            var other => throw new MetricSourceException($"The query uses the unknown placeholder ${{{other}}}; only ${{scope}} and ${{location}} are filled."),
        });

    /// <summary>The text as the inside of a double-quoted PromQL string.</summary>
    public static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '\n' => @"\n",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }
}
