using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Delivery.Orchestrator.Expressions.Tests;

/// <summary>
/// Feeds random and mutated expressions (fixed seed, so failures reproduce) through every entry point. Each one must
/// produce a value or an <see cref="ExpressionException"/> - never another exception - within the time limit.
/// </summary>
public sealed class ExpressionFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 0x5EED_2024;
    private const int Iterations = 12_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    // Generous: covers JIT and GC pauses on a loaded machine, while still catching any unbounded evaluation.
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(900);

    private static readonly string[] ValidExpressions =
    [
        "trigger.parameters.env == 'prod' ? 'large' : 'small'",
        "#stage('Bake')['outputs']['imageId']",
        "execution.stages.?[type == 'wait'].size()",
        "#judgment('Approve')",
        "#judgement('Approve') == 'Approved'",
        "execution.stages.?[status == 'SUCCEEDED' and type != 'bake'].![refId]",
        "execution.stages.^[type == 'wait'].name",
        "execution.stages.$[type == 'wait'].context.waitTime * 2",
        "execution.stages.![context['waitTime'] ?: 0]",
        "execution.stages.?[context['account'] == trigger.parameters.env].![name]",
        "#stageByRefId('2').name.toUpperCase()",
        "#toJson({'a': {1, 2.5, 'x'}, 'b': null, c: true})",
        "#readJson('{\"a\":[1,2]}').a[1]",
        "#toInt(trigger.parameters.count) + 1",
        "#toFloat('2.5') * ratio",
        "#toBoolean(trigger.parameters.flag) && !false",
        "#alphanumerical('my-app_v1.2')",
        "#fromBase64(#toBase64('hello'))",
        "#stageExists('Bake') or #stageExists('Nope')",
        "region.split('-')[1].substring(0, 2).toUpperCase()",
        "'a1b22c333'.replaceAll('[0-9]+', '#').replace('#', '+')",
        "'John Smith'.replaceAll('(\\w+) (\\w+)', '$2, $1')",
        "'  padded  '.trim().length() + 'abc'.indexOf('c')",
        "tags.contains('b') ? tags.get(1) : tags[0]",
        "labels.containsKey('team') and labels['team'].startsWith('co')",
        "labels.?[value == 'core']",
        "labels.![key + '=' + value]",
        "numbers.?[#this > 1].![#this * 10]",
        "{1,2,3,4}.?[#this % 2 == 0].size()",
        "{{1,2},{3}}.![#this.![#this + 1]]",
        "replicas > 2 and enabled || nothing == null",
        "nothing?.foo.bar ?: 'fallback'",
        "empty ?: region",
        "region matches 'us-(east|west)-[0-9]+'",
        "(1 + 2) * 3 - 4 / 2 % 3 ^ 2",
        "-replicas + +4 - -1",
        "'x' + 1 + 2.5 + true + null",
        "'ab' * 3 + 'c'",
        "1 eq 1 and 2 ne 3 and 1 lt 2 and 2 le 2 and 3 gt 2 and 3 ge 3",
        "not (1 > 2)",
        "'it''s' + \"say \"\"hi\"\"\"",
        "#root.region + #this.replicas",
        "execution['stages'][0][\"outputs\"].deploymentDetails[0].imageId",
        "trigger.buildInfo.number.toString().length()",
        "'abc'[1] + region[0]",
        "{'k' + 1: {a: 1}}['k1'].a",
        "0x1F + 10L + 1e2 + 2.5d",
        "'a,b,,c,,'.split(',').size()",
        "tags.toString().contains('a')",
        "execution.stages.?[#this.outputs.containsKey('imageId')][0].name.equalsIgnoreCase('BAKE')",
    ];

    private static readonly string[] TokenPool =
    [
        "trigger", "execution", "stages", "parameters", "env", "region", "tags", "labels", "numbers", "nothing",
        "replicas", "ratio", "enabled", "#root", "#this", "#stage", "#judgment", "#toJson", "#readJson", "#toInt",
        "#fromUrl", "#env", "T", "new", "getClass", "size", "toString", "split", "replaceAll", "substring",
        "matches", "and", "or", "not", "eq", "instanceof", "between", "true", "false", "null",
        "0", "1", "-1", "42", "3.14", "1e309", "9223372036854775807", "0x", "1L", "'str'", "'it''s'", "\"dq\"",
        "'", "\"", "(", ")", "[", "]", "{", "}", ",", ":", ".", "?.", "?", "?:", ".?[", ".^[", ".$[", ".![",
        "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "+", "-", "*", "/", "%", "^", "=", "++", "@", "&",
        "#", "$", "${", "}", "\\", "'(a|aa)+'", "'" + new string('a', 30) + "!'", "''", "{:}", "{}",
    ];

    private static readonly string OddCharacters = "()[]{}'\"#.?:!$^@&|=<>+-*/%,\\ \t\n\r\0\u00e9\u4e2d\uffff\ud800\udc00";

    [Fact]
    public void RandomAndMutatedExpressions_ReturnValueOrThrowExpressionException_WithinTimeLimit()
    {
        var random = new Random(Seed);
        var evaluator = new ExpressionEvaluator(new ExpressionOptions { Timeout = Timeout });
        var root = TestData.Root();
        var rootBefore = root.ToJsonString();
        var values = 0;
        var failures = 0;
        var slowest = TimeSpan.Zero;
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = Stopwatch.StartNew();

        for (var i = 0; i < Iterations; i++)
        {
            var expression = Generate(random, i);
            var mode = random.Next(4);
            var stopwatch = Stopwatch.StartNew();
            try
            {
                Run(evaluator, root, expression, mode);
                values++;
            }
            catch (ExpressionException ex)
            {
                failures++;
                var reason = ex.Reason.Length > 40 ? ex.Reason[..40] : ex.Reason;
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                Assert.False(
                    ex.Message.Contains("internal error", StringComparison.Ordinal),
                    $"Bug surfaced for expression #{i} [{Printable(expression)}]: {ex.Message}");
            }
            catch (Exception ex)
            {
                Assert.Fail($"Expression #{i} (mode {mode}) [{Printable(expression)}] threw {ex.GetType().Name}: {ex}");
            }

            stopwatch.Stop();
            slowest = stopwatch.Elapsed > slowest ? stopwatch.Elapsed : slowest;

            // ProcessTree (mode 2) evaluates up to three expressions, each with its own time limit.
            var budget = (mode == 2 ? Timeout * 3 : Timeout) + Slack;
            Assert.True(
                stopwatch.Elapsed < budget,
                $"Expression #{i} [{Printable(expression)}] took {stopwatch.ElapsedMilliseconds} ms");
        }

        total.Stop();
        output.WriteLine($"{values} values, {failures} ExpressionExceptions in {total.ElapsedMilliseconds} ms; slowest {slowest.TotalMilliseconds:0.0} ms");
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value).Take(25))
        {
            output.WriteLine($"{count,6}  {reason}");
        }

        Assert.Equal(rootBefore, root.ToJsonString());

        // The generator must exercise both outcomes, or the test proves little.
        Assert.True(values > Iterations / 20, $"only {values} expressions produced a value");
        Assert.True(failures > Iterations / 20, $"only {failures} expressions failed");
        // About 2-3 s on an idle machine; the bound is loose so a busy build agent does not make the test flaky.
        Assert.True(total.Elapsed < TimeSpan.FromSeconds(60), $"fuzzing took {total.Elapsed}, slowest {slowest}");
    }

    [Fact]
    public void ValidCorpus_AllEvaluateSuccessfully()
    {
        var evaluator = TestData.Evaluator();
        var root = TestData.Root();

        foreach (var expression in ValidExpressions)
        {
            var ex = Record.Exception(() => evaluator.Evaluate(expression, root));
            Assert.True(ex is null, $"[{expression}] failed: {ex?.Message}");
        }
    }

    private static void Run(ExpressionEvaluator evaluator, JsonObject root, string expression, int mode)
    {
        switch (mode)
        {
            case 0:
                evaluator.Evaluate(expression, root);
                break;
            case 1:
                evaluator.Evaluate("${" + expression + "}", root);
                break;
            case 2:
                var tree = new JsonObject
                {
                    ["raw"] = expression,
                    ["typed"] = "${" + expression + "}",
                    ["mixed"] = new JsonArray("x ${" + expression + "} y", 1, null),
                };
                var result = evaluator.ProcessTree(tree, root);
                Assert.NotNull(result.Value);
                foreach (var error in result.Errors)
                {
                    Assert.False(
                        error.Message.Contains("internal error", StringComparison.Ordinal),
                        $"Bug surfaced for [{Printable(expression)}]: {error.Message}");
                }

                break;
            default:
                evaluator.EvaluateCondition(expression, root);
                break;
        }
    }

    private static string Generate(Random random, int iteration) => (iteration % 2_000 == 1_999 ? -1 : iteration % 10) switch
    {
        -1 => RegexBomb(random),
        0 or 1 => RandomTokens(random),
        2 or 3 or 4 or 5 => Mutate(random, Pick(random, ValidExpressions)),
        6 => HugeNesting(random),
        7 => VeryLong(random),
        8 => RandomCharacters(random),
        _ => Pick(random, ValidExpressions),
    };

    private static string RandomTokens(Random random)
    {
        var count = random.Next(1, 40);
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            sb.Append(Pick(random, TokenPool));
            if (random.Next(3) == 0)
            {
                sb.Append(' ');
            }
        }

        return sb.ToString();
    }

    private static string Mutate(Random random, string source)
    {
        var text = source;
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && text.Length > 0; m++)
        {
            var position = random.Next(text.Length + 1);
            switch (random.Next(9))
            {
                case 0: // truncation
                    text = text[..position];
                    break;
                case 1: // duplication of a slice
                    var start = random.Next(text.Length);
                    var length = random.Next(1, Math.Min(40, text.Length - start) + 1);
                    var copies = random.Next(1, 20);
                    text = text[..position] + string.Concat(Enumerable.Repeat(text.Substring(start, length), copies)) + text[position..];
                    break;
                case 2: // inserted brackets
                    text = text.Insert(position, Pick(random, ["(", ")", "[", "]", "{", "}", ".?[", "${", "}}"]));
                    break;
                case 3: // inserted quotes
                    text = text.Insert(position, Pick(random, ["'", "\"", "''", "'}'"]));
                    break;
                case 4: // deletion
                    var count = Math.Min(random.Next(1, 6), text.Length - Math.Min(position, text.Length - 1));
                    text = text.Remove(Math.Min(position, text.Length - 1), Math.Max(count, 1));
                    break;
                case 5: // replaced character
                    var at = Math.Min(position, text.Length - 1);
                    text = text[..at] + OddCharacters[random.Next(OddCharacters.Length)] + text[(at + 1)..];
                    break;
                case 6: // inserted token
                    text = text.Insert(position, " " + Pick(random, TokenPool) + " ");
                    break;
                case 7: // whole expression repeated with an operator
                    text = string.Join(Pick(random, [" + ", " and ", ".", "", " ? ", ","]), Enumerable.Repeat(text, random.Next(2, 30)));
                    break;
                default: // wrapped
                    text = Pick(random, ["(", "{", "#toJson(", "!", "-", "'"]) + text + Pick(random, [")", "}", "]", "", "'"]);
                    break;
            }
        }

        return text;
    }

    private static string HugeNesting(Random random)
    {
        (string Open, string Close)[] pairs =
        [
            ("(", ")"), ("{", "}"), ("[", "]"), ("#toJson(", ")"), ("!", ""), ("- ", ""), ("numbers.?[", "]"),
            ("{'k':", "}"), ("true ? ", " : 1"), ("tags[", "]"), ("1 + (", ")"), ("'a' matches (", ")"), ("${", "}"),
        ];
        var (open, close) = Pick(random, pairs);
        var depth = random.Next(20, 5_000);
        var closing = random.Next(4) == 0 ? random.Next(depth + 2) : depth;
        return string.Concat(Enumerable.Repeat(open, depth)) + Pick(random, ["1", "true", "tags", "'x'"]) +
               string.Concat(Enumerable.Repeat(close, closing));
    }

    private static string VeryLong(Random random)
    {
        var length = random.Next(1_000, 12_000);
        var filler = new string((char)('a' + random.Next(26)), length);
        return random.Next(7) switch
        {
            0 => "'" + filler + "'",
            1 => "'" + filler + "'.split('a').size() + '" + filler[..100] + "'.length()",
            2 => filler,
            3 => new string('9', length),
            4 => string.Join(" + ", Enumerable.Repeat("1", length / 4)),
            5 => "labels" + string.Concat(Enumerable.Repeat(".team", length / 5)),
            _ => "'" + filler[..Math.Min(length, 3_000)] + "' * " + random.Next(1, 1_000) + " + 'x'",
        };
    }

    /// <summary>Catastrophic backtracking: must be stopped by the time limit (kept rare, each costs a full timeout).</summary>
    private static string RegexBomb(Random random)
    {
        var input = new string('a', random.Next(35, 45)) + "!";
        return Pick(random, [
            $"'{input}' matches '(a|aa)+'",
            $"'{input}'.replaceAll('(a|aa)+b', 'x')",
            $"'{input}'.split('(a|aa)+b').size()",
            $"{{'{input}'}}.?[#this matches '(a|aa)+']",
        ]);
    }

    private static string RandomCharacters(Random random)
    {
        var length = random.Next(1, 60);
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(random.Next(4) == 0 ? (char)random.Next(0, 0x10000) : OddCharacters[random.Next(OddCharacters.Length)]);
        }

        return sb.ToString();
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Printable(string s)
    {
        var shown = s.Length > 300 ? s[..300] + $"...({s.Length} chars)" : s;
        var sb = new StringBuilder(shown.Length);
        foreach (var c in shown)
        {
            sb.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return sb.ToString();
    }
}
