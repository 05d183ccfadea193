using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Tests;

public sealed class SafetyTests
{
    private readonly ExpressionEvaluator _evaluator = TestData.Evaluator();
    private readonly JsonObject _root = TestData.Root();

    [Theory]
    [InlineData("T(java.lang.Runtime).getRuntime().exec('ls')", "type references")]
    [InlineData("${T(java.lang.Runtime).getRuntime().exec('ls')}", "type references")]
    [InlineData("T(System.Environment).GetEnvironmentVariable('HOME')", "type references")]
    [InlineData("T(java.lang.System).getenv()", "type references")]
    [InlineData("new java.io.File('/etc/passwd')", "constructor 'new java.io.File(...)' is not allowed")]
    [InlineData("new java.lang.ProcessBuilder('ls')", "constructor 'new java.lang.ProcessBuilder(...)' is not allowed")]
    [InlineData("new java.net.URL('http://169.254.169.254').openStream()", "constructor 'new java.net.URL(...)' is not allowed")]
    [InlineData("{1}.add(new java.lang.ProcessBuilder('ls'))", "method 'add' is not allowed")]
    [InlineData("'x'.getClass()", "method 'getClass' is not allowed")]
    [InlineData("'x'.getClass().forName('java.lang.Runtime')", "method 'getClass' is not allowed")]
    [InlineData("execution.getClass().forName('java.lang.Runtime')", "method 'getClass' is not allowed")]
    [InlineData("getClass()", "method 'getClass' is not allowed")]
    [InlineData("#this.getClass()", "method 'getClass' is not allowed")]
    [InlineData("execution.class", "'class' cannot be found")]
    [InlineData("'x'.class", "cannot read property 'class'")]
    [InlineData("'x'.bytes", "cannot read property 'bytes'")]
    [InlineData("'x'.GetType()", "method 'GetType' is not allowed")]
    [InlineData("'x'.hashCode()", "method 'hashCode' is not allowed")]
    [InlineData("'x'.getBytes()", "method 'getBytes' is not allowed")]
    [InlineData("'x'.concat('y')", "method 'concat' is not allowed")]
    [InlineData("System.getenv('HOME')", "method 'getenv' is not allowed")]
    [InlineData("System.getProperty('user.home')", "method 'getProperty' is not allowed")]
    [InlineData("#env['HOME']", "unknown variable '#env'")]
    [InlineData("#env", "unknown variable '#env'")]
    [InlineData("#systemProperties['user.home']", "unknown variable '#systemProperties'")]
    [InlineData("#systemEnvironment['HOME']", "unknown variable '#systemEnvironment'")]
    [InlineData("#fromUrl('file:///etc/passwd')", "unknown function '#fromUrl'")]
    [InlineData("#jsonFromUrl('http://169.254.169.254/latest/meta-data')", "unknown function '#jsonFromUrl'")]
    [InlineData("#propertiesFromUrl('file:///etc/passwd')", "unknown function '#propertiesFromUrl'")]
    [InlineData("#yamlFromUrl('file:///etc/passwd')", "unknown function '#yamlFromUrl'")]
    [InlineData("#readFile('/etc/passwd')", "unknown function '#readFile'")]
    [InlineData("#env('HOME')", "unknown function '#env'")]
    [InlineData("@environment.getProperty('HOME')", "bean references")]
    [InlineData("&factoryBean", "bean references")]
    [InlineData("replicas = 5", "assignment")]
    [InlineData("labels['team'] = 'x'", "assignment")]
    [InlineData("replicas++", "increment")]
    public void DangerousExpression_IsRejected(string expression, string reason)
    {
        var ex = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate(expression, _root));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expression.Length > 200 ? expression[..200] : expression, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${T(java.lang.Runtime).getRuntime().exec('rm -rf /')}")]
    [InlineData("${#env['HOME']}")]
    [InlineData("${System.getenv('HOME')}")]
    [InlineData("home=${#fromUrl('file:///etc/passwd')}")]
    public void DangerousExpression_InTree_IsLeftUnchangedWithError(string text)
    {
        var result = _evaluator.ProcessTree(new JsonObject { ["v"] = text }, _root);

        Assert.Equal(text, result.Value!["v"]!.GetValue<string>());
        Assert.Single(result.Errors);
    }

    [Fact]
    public void DangerousExpression_AsCondition_Throws() =>
        Assert.Throws<ExpressionException>(() => _evaluator.EvaluateCondition("${T(java.lang.Boolean).TRUE}", _root));

    // ---- limits ----

    [Fact]
    public void ExpressionLongerThanLimit_IsRejected()
    {
        var evaluator = new ExpressionEvaluator(new ExpressionOptions { Timeout = TimeSpan.FromSeconds(10), MaxExpressionLength = 100 });
        var ok = "'" + new string('x', 98) + "'";
        var tooLong = "'" + new string('x', 99) + "'";

        Assert.Equal(98, evaluator.Evaluate(ok, _root)!.GetValue<string>().Length);
        var ex = Assert.Throws<ExpressionException>(() => evaluator.Evaluate(tooLong, _root));
        Assert.Contains("maximum expression length of 100", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultExpressionLengthLimit_IsTenThousand()
    {
        var ex = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate("'" + new string('x', 10_000) + "'", _root));
        Assert.Contains("maximum expression length of 10000", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("{", "}")]
    [InlineData("#toInt(", ")")]
    [InlineData("tags[", "]")]
    [InlineData("- ", "")]
    [InlineData("!", "")]
    [InlineData("true ? ", " : 0")]
    public void NestingDeeperThanLimit_IsRejected(string open, string close)
    {
        var expression = string.Concat(Enumerable.Repeat(open, 200)) + "1" + string.Concat(Enumerable.Repeat(close, 200));

        var ex = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate(expression, _root));
        Assert.Contains("maximum depth of 64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestingWithinLimit_IsAccepted()
    {
        var expression = new string('(', 60) + "1" + new string(')', 60);
        Assert.Equal(1, _evaluator.Evaluate(expression, _root)!.GetValue<long>());
    }

    [Fact]
    public void HugeNesting_WithRaisedLimit_FailsCleanlyInsteadOfOverflowingTheStack()
    {
        // A long timeout, so that only the stack guard (not the clock) can stop this on a busy machine.
        var evaluator = new ExpressionEvaluator(new ExpressionOptions
        {
            MaxDepth = 1_000_000,
            MaxExpressionLength = 2_000_000,
            Timeout = TimeSpan.FromSeconds(30),
        });
        var expression = new string('(', 500_000) + "1" + new string(')', 500_000);

        var ex = Assert.Throws<ExpressionException>(() => evaluator.Evaluate(expression, _root));
        Assert.Contains("nested too deeply", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongFlatChains_AreNotLimitedByDepth()
    {
        var sum = string.Join(" + ", Enumerable.Repeat("1", 2_000));
        var path = "labels.size()" + string.Concat(Enumerable.Repeat(".toString().length()", 400));

        Assert.Equal(2_000, _evaluator.Evaluate(sum, _root)!.GetValue<long>());
        Assert.Equal(1, _evaluator.Evaluate(path, _root)!.GetValue<long>());
    }

    [Fact]
    public void CatastrophicRegex_TimesOut()
    {
        var evaluator = new ExpressionEvaluator(new ExpressionOptions { Timeout = TimeSpan.FromMilliseconds(100) });
        var expression = "'" + new string('a', 40) + "!' matches '(a|aa)+'";

        var stopwatch = Stopwatch.StartNew();
        var ex = Assert.Throws<ExpressionException>(() => evaluator.Evaluate(expression, _root));
        stopwatch.Stop();

        Assert.Contains("time limit of 100 ms", ex.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.ElapsedMilliseconds < 2_000, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("'{0}'.replaceAll('(a|aa)+b', 'x')")]
    [InlineData("'{0}'.split('(a|aa)+b')")]
    public void CatastrophicRegex_InMethods_TimesOut(string template)
    {
        var evaluator = new ExpressionEvaluator(new ExpressionOptions { Timeout = TimeSpan.FromMilliseconds(100) });
        var expression = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('a', 40));

        var ex = Assert.Throws<ExpressionException>(() => evaluator.Evaluate(expression, _root));
        Assert.Contains("time limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongComputation_TimesOut()
    {
        var evaluator = new ExpressionEvaluator(new ExpressionOptions { Timeout = TimeSpan.FromMilliseconds(100) });
        var root = new JsonObject { ["items"] = new JsonArray(Enumerable.Range(0, 2_000).Select(i => (JsonNode?)i).ToArray()) };

        var stopwatch = Stopwatch.StartNew();
        var ex = Assert.Throws<ExpressionException>(() =>
            evaluator.Evaluate("items.![items.![items.?[#this > 5].size()]]", root));
        stopwatch.Stop();

        Assert.Contains("exceeded the time limit of 100 ms", ex.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.ElapsedMilliseconds < 2_000, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("'ab' * 51")]
    [InlineData("'ab' * 9999999999")]
    [InlineData("'x'.replace('x', '" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789x" + "')")]
    [InlineData("'xx'.replace('', 'abcdefghijklmnopqrstuvwxyz0123456789abcdefghijkl')")]
    [InlineData("'xxxx'.replaceAll('x', 'abcdefghijklmnopqrstuvwxyz0123456789')")]
    [InlineData("#toJson(execution)")]
    [InlineData("execution")]
    [InlineData("'a' + #toJson(labels) + #toJson(labels) + #toJson(labels) + #toJson(labels)")]
    [InlineData("#toBase64('0123456789012345678901234567890123456789012345678901234567890123456789012345678')")]
    public void ResultLongerThanLimit_IsRejected(string expression)
    {
        var evaluator = new ExpressionEvaluator(new ExpressionOptions { Timeout = TimeSpan.FromSeconds(10), MaxResultLength = 100 });

        var ex = Assert.Throws<ExpressionException>(() => evaluator.Evaluate(expression, _root));
        Assert.Contains("result size limit of 100 characters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultWithinLimit_IsAccepted()
    {
        var evaluator = new ExpressionEvaluator(new ExpressionOptions { Timeout = TimeSpan.FromSeconds(10), MaxResultLength = 100 });
        Assert.Equal(100, evaluator.Evaluate("'ab' * 50", _root)!.GetValue<string>().Length);
    }

    [Fact]
    public void ManyPiecesUnderLimit_ExceedingTotalOutputBudget_AreRejected()
    {
        var evaluator = new ExpressionEvaluator(new ExpressionOptions { Timeout = TimeSpan.FromSeconds(10), MaxResultLength = 1_000 });
        var root = new JsonObject { ["items"] = new JsonArray(Enumerable.Range(0, 100).Select(i => (JsonNode?)i).ToArray()) };

        Assert.Equal(10, evaluator.Evaluate("items.?[#this < 10].!['x' * 900].size()", root)!.GetValue<long>());
        var ex = Assert.Throws<ExpressionException>(() => evaluator.Evaluate("items.!['x' * 900].size()", root));
        Assert.Contains("produced more than 16000 characters in total", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InterpolatedStringLongerThanLimit_IsErrorInTree()
    {
        var evaluator = new ExpressionEvaluator(new ExpressionOptions { Timeout = TimeSpan.FromSeconds(10), MaxResultLength = 100 });
        var text = "${'a' * 60}${'b' * 60}";

        var result = evaluator.ProcessTree(new JsonObject { ["v"] = text }, _root);

        Assert.Equal(text, result.Value!["v"]!.GetValue<string>());
        Assert.Contains("result size limit of 100", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypedObjectLongerThanLimit_IsErrorInTree()
    {
        var evaluator = new ExpressionEvaluator(new ExpressionOptions { Timeout = TimeSpan.FromSeconds(10), MaxResultLength = 100 });

        var result = evaluator.ProcessTree(new JsonObject { ["v"] = "${execution}" }, _root);

        Assert.Equal("${execution}", result.Value!["v"]!.GetValue<string>());
        Assert.Contains("result size limit of 100", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_MatchTheDocumentedLimits()
    {
        var options = new ExpressionOptions();

        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Timeout);
        Assert.Equal(64, options.MaxDepth);
        Assert.Equal(1_000_000, options.MaxResultLength);
        Assert.Equal(10_000, options.MaxExpressionLength);
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpressionEvaluator(new ExpressionOptions { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpressionEvaluator(new ExpressionOptions { MaxDepth = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpressionEvaluator(new ExpressionOptions { MaxResultLength = -1 }));
    }

    [Fact]
    public void ExceptionMessage_TruncatesHugeExpressions_ButKeepsFullExpressionProperty()
    {
        var expression = "missing" + new string(' ', 5_000) + "+ 1";

        var ex = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate(expression, _root));

        Assert.Equal(expression, ex.Expression);
        Assert.True(ex.Message.Length < 600, $"message length {ex.Message.Length}");
        Assert.StartsWith("Failed to evaluate expression [missing", ex.Message, StringComparison.Ordinal);
    }
}
