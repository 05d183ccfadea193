using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Tests;

/// <summary>
/// Java idioms found in published Spinnaker pipelines give Java's results (allow-listed constructors and
/// number methods); anything else is refused with a message naming it.
/// </summary>
public sealed class JavaIdiomsTests
{
    private readonly ExpressionEvaluator _evaluator = TestData.Evaluator();
    private readonly JsonObject _root = TestData.Root();

    private string Eval(string expression) => TestData.Json(_evaluator.Evaluate(expression, _root));

    [Theory]
    [InlineData("${(0.8 * 5).intValue()}", "4")]
    [InlineData("${(2.9).intValue()}", "2")]
    [InlineData("${(-2.9).intValue()}", "-2")]
    [InlineData("${(7).doubleValue()}", "7")]
    [InlineData("${(3000000000).intValue()}", "-1294967296")]
    [InlineData("${(1e30).longValue()}", "9223372036854775807")]
    [InlineData("${new Integer('41') + 1}", "42")]
    [InlineData("${new java.lang.Integer(7) * 2}", "14")]
    [InlineData("${new Long('9000000000')}", "9000000000")]
    [InlineData("${new Double('2.5') * 2}", "5")]
    [InlineData("${new Boolean('TRUE')}", "true")]
    [InlineData("${new Boolean('yes')}", "false")]
    [InlineData("${new String('abc').toUpperCase()}", "\"ABC\"")]
    [InlineData("${new java.util.Date(0).getTime()}", "0")]
    [InlineData("${new java.text.SimpleDateFormat('yyyy-MM-dd HH:mm:ss').format(new java.util.Date(1700000000000))}", "\"2023-11-14 22:13:20\"")]
    [InlineData("${new java.text.SimpleDateFormat(\"yyyyMMdd'T'HHmm\").format(new java.util.Date(1700000000000))}", "\"20231114T2213\"")]
    public void JavaIdiom_GivesJavasResult(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void SelfLoopingPipelineIdiom_IncrementsItsIterationParameter()
    {
        _root["parameters"] = new JsonObject { ["iteration"] = "3" };

        Assert.Equal("4", Eval("${new Integer(parameters['iteration']) + 1}"));
    }

    [Fact]
    public void NewDate_IsNow_AndRendersAsJavaDateText()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ms = _evaluator.Evaluate("${new java.util.Date().getTime()}", _root)!.GetValue<long>();

        Assert.InRange(ms, before, before + 5_000);
        var text = _evaluator.ProcessTree(JsonValue.Create("built ${new java.util.Date(1700000000000)}"), _root).Value!.GetValue<string>();
        Assert.Equal("built Tue Nov 14 22:13:20 UTC 2023", text);
    }

    [Theory]
    [InlineData("${new Integer('4.5')}", "not a whole number")]
    [InlineData("${new Integer('99999999999')}", "out of the range of an int")]
    [InlineData("${new Integer(1, 2)}", "takes one argument")]
    [InlineData("${new java.util.Scanner('x')}", "constructor 'new java.util.Scanner(...)' is not allowed")]
    [InlineData("${new java.text.SimpleDateFormat('qq').format(new java.util.Date(0))}", "pattern letter 'q' is not supported")]
    [InlineData("${'abc'.intValue()}", "intValue")]
    public void OutsideTheAllowList_FailsNamingIt(string expression, string expected)
    {
        var e = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate(expression, _root));

        Assert.Contains(expected, e.Message);
    }
}
