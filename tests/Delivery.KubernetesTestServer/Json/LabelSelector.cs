using System.Text.Json.Nodes;

namespace Delivery.KubernetesTestServer.Json;

/// <summary>
/// The <c>labelSelector</c> / <c>fieldSelector</c> query syntax: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, comma-separated and all required. Field selectors support
/// <c>metadata.name</c>, <c>metadata.namespace</c> and the pod fields <c>status.phase</c>, <c>spec.nodeName</c>, <c>status.podIP</c> with <c>=</c>, <c>==</c>, <c>!=</c>.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<Func<string, string?>, bool>> _requirements = [];

    private LabelSelector() { }

    /// <summary>Parses a selector; throws a 400 <see cref="ApiStatusException"/> for bad syntax.</summary>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        foreach (var term in SplitTerms(text ?? ""))
        {
            selector._requirements.Add(ParseTerm(term));
        }
        return selector;
    }

    /// <summary>Whether the labels (or fields) satisfy every requirement.</summary>
    public bool Matches(Func<string, string?> value) => _requirements.All(r => r(value));

    /// <summary>Whether an object's <c>metadata.labels</c> match.</summary>
    public bool MatchesLabels(JsonObject obj) =>
        Matches(key => obj["metadata"]?["labels"]?[key]?.GetValue<string>());

    /// <summary>Whether an object's selectable fields match.</summary>
    public bool MatchesFields(JsonObject obj) => Matches(field => field switch
    {
        "metadata.name" => obj["metadata"]?["name"]?.GetValue<string>(),
        "metadata.namespace" => obj["metadata"]?["namespace"]?.GetValue<string>() ?? "",
        "status.phase" or "spec.nodeName" or "status.podIP" => field.Split('.').Aggregate((JsonNode?)obj, (n, f) => n?[f])?.GetValue<string>() ?? "",
        _ => throw ApiStatusException.BadRequest($"field label not supported: {field}"),
    });

    /// <summary><c>matchLabels</c> and <c>matchExpressions</c> of a <c>LabelSelector</c> object, as selector text.</summary>
    public static string FromObject(JsonObject? selector)
    {
        var terms = new List<string>();
        if (selector?["matchLabels"] is JsonObject labels)
        {
            terms.AddRange(labels.Select(l => $"{l.Key}={l.Value}"));
        }
        foreach (var e in selector?["matchExpressions"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var key = e["key"]!.GetValue<string>();
            var values = string.Join(",", e["values"]?.AsArray().Select(v => v!.GetValue<string>()) ?? []);
            terms.Add(e["operator"]!.GetValue<string>() switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                _ => $"!{key}",
            });
        }
        return string.Join(",", terms);
    }

    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                var term = text[start..i].Trim();
                if (term.Length > 0)
                {
                    yield return term;
                }
                start = i + 1;
            }
            else if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
        }
    }

    private static Func<Func<string, string?>, bool> ParseTerm(string term)
    {
        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = term[..at].Trim();
                var list = term[(at + op.Length)..].Trim();
                if (!list.StartsWith('(') || !list.EndsWith(')'))
                {
                    throw ApiStatusException.BadRequest($"unable to parse requirement: {term}");
                }
                var set = list[1..^1].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                return negate ? v => v(key) is not { } x || !set.Contains(x) : v => v(key) is { } x && set.Contains(x);
            }
        }
        foreach (var (op, negate) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = term[..at].Trim();
                var value = term[(at + op.Length)..].Trim();
                return negate ? v => v(key) != value : v => v(key) == value;
            }
        }
        if (term.StartsWith('!'))
        {
            var key = term[1..].Trim();
            return v => v(key) is null;
        }
        if (term.Any(c => c is '=' or '(' or ')' or ' '))
        {
            throw ApiStatusException.BadRequest($"unable to parse requirement: {term}");
        }
        return v => v(term) is not null;
    }
}
