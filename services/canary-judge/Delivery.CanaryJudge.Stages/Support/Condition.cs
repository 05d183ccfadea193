using System.Globalization;
using System.Text.RegularExpressions;
using Delivery.Clouddriver.Stages.Support;

namespace Delivery.CanaryJudge.Stages.Support;

/// <summary>
/// An analysis condition on a measured value, as Argo Rollouts writes them (<c>successCondition: result &lt; 0.01</c>):
/// comparisons of <c>result</c> with a number (<c>&lt; &lt;= &gt; &gt;= == !=</c>, either side), joined by <c>&amp;&amp;</c>
/// (binding tighter) and <c>||</c>. Argo's full expression language is not supported; anything else is refused when
/// the stage starts.
/// </summary>
internal sealed partial class Condition
{
    [GeneratedRegex(@"^\s*(?:(?<l>result)\s*(?<op><=|>=|==|!=|<|>)\s*(?<n>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(?<n>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(?<op><=|>=|==|!=|<|>)\s*result)\s*$")]
    private static partial Regex Comparison();

    private readonly List<List<Func<double, bool>>> _anyOfAll;

    private Condition(string text, List<List<Func<double, bool>>> anyOfAll)
    {
        Text = text;
        _anyOfAll = anyOfAll;
    }

    public string Text { get; }

    /// <exception cref="StageInputException">The condition is not of the supported form; the message quotes it.</exception>
    public static Condition Parse(string text, string field)
    {
        if (text.Length > 500)
        {
            throw new StageInputException($"{field} is longer than 500 characters.");
        }
        var anyOf = new List<List<Func<double, bool>>>();
        foreach (var alternative in text.Split("||"))
        {
            var allOf = new List<Func<double, bool>>();
            foreach (var clause in alternative.Split("&&"))
            {
                var match = Comparison().Match(clause);
                if (!match.Success)
                {
                    throw new StageInputException($"{field} '{text}': '{clause.Trim()}' is not a comparison of result with a number (e.g. result < 0.01).");
                }
                var number = double.Parse(match.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
                var op = match.Groups["op"].Value;
                var resultOnLeft = match.Groups["l"].Success;
                allOf.Add(value => Compare(resultOnLeft ? value : number, op, resultOnLeft ? number : value));
            }
            anyOf.Add(allOf);
        }
        return new Condition(text, anyOf);
    }

    public bool IsMet(double result) => _anyOfAll.Any(all => all.All(clause => clause(result)));

    private static bool Compare(double left, string op, double right) => op switch
    {
        "<" => left < right,
        "<=" => left <= right,
        ">" => left > right,
        ">=" => left >= right,
        "==" => left == right,
        _ => left != right,
    };
}
