using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Tests;

public sealed class ExpressionEvaluatorTests
{
    private readonly ExpressionEvaluator _evaluator = TestData.Evaluator();
    private readonly JsonObject _root = TestData.Root();

    private string Eval(string expression) => TestData.Json(_evaluator.Evaluate(expression, _root));

    private string EvalString(string expression) => _evaluator.Evaluate(expression, _root)!.GetValue<string>();

    private ExpressionException Fails(string expression) =>
        Assert.Throws<ExpressionException>(() => _evaluator.Evaluate(expression, _root));

    // ---- the examples from the issue ----

    [Fact]
    public void Ternary_OnTriggerParameter_PicksBranchByEnvironment()
    {
        Assert.Equal("large", EvalString("${trigger.parameters.env == 'prod' ? 'large' : 'small'}"));

        _root["trigger"]!["parameters"]!["env"] = "dev";
        Assert.Equal("small", EvalString("${trigger.parameters.env == 'prod' ? 'large' : 'small'}"));
    }

    [Fact]
    public void StageFunction_WithIndexers_ReadsStageOutputs() =>
        Assert.Equal("ami-123", EvalString("${#stage('Bake')['outputs']['imageId']}"));

    [Fact]
    public void Selection_OnExecutionStages_CountsWaitStages() =>
        Assert.Equal("2", Eval("${execution.stages.?[type == 'wait'].size()}"));

    [Fact]
    public void JudgmentFunction_ReturnsJudgmentInput() =>
        Assert.Equal("Approved", EvalString("${#judgment('Approve')}"));

    // ---- literals ----

    [Theory]
    [InlineData("42", "42")]
    [InlineData("3.5", "3.5")]
    [InlineData("1e3", "1000")]
    [InlineData("0x1F", "31")]
    [InlineData("10L", "10")]
    [InlineData("true", "true")]
    [InlineData("FALSE", "false")]
    [InlineData("null", "null")]
    [InlineData("'text'", "\"text\"")]
    [InlineData("\"text\"", "\"text\"")]
    [InlineData("{1,2,3}", "[1,2,3]")]
    [InlineData("{}", "[]")]
    [InlineData("{'a':1,'b':'x'}", "{\"a\":1,\"b\":\"x\"}")]
    [InlineData("{a:1, b:{2,3}}", "{\"a\":1,\"b\":[2,3]}")]
    [InlineData("{:}", "{}")]
    [InlineData("{'k' + 1: true}", "{\"k1\":true}")]
    [InlineData("{ {1}, {'x':{}} }", "[[1],{\"x\":[]}]")]
    public void Literals_Evaluate_ToTypedValues(string expression, string expectedJson) =>
        Assert.Equal(expectedJson, Eval(expression));

    [Fact]
    public void SingleQuotedString_DoubledQuote_IsEscapedQuote() => Assert.Equal("it's", EvalString("'it''s'"));

    [Fact]
    public void DoubleQuotedString_DoubledQuote_IsEscapedQuote() => Assert.Equal("say \"hi\"", EvalString("\"say \"\"hi\"\"\""));

    [Fact]
    public void StringLiteral_ContainingBraces_IsKeptVerbatim() => Assert.Equal("{a}", EvalString("${'{a}'}"));

    // ---- property paths, indexers, safe navigation ----

    [Theory]
    [InlineData("execution.stages[0].name", "\"Bake\"")]
    [InlineData("execution['stages'][1][\"type\"]", "\"wait\"")]
    [InlineData("execution.stages[0].outputs.imageId", "\"ami-123\"")]
    [InlineData("execution.stages[0]['outputs']['imageId']", "\"ami-123\"")]
    [InlineData("execution.stages[4].context.capacity.max", "4")]
    [InlineData("labels['team']", "\"core\"")]
    [InlineData("labels[team]", "\"core\"")]
    [InlineData("labels['missing']", "null")]
    [InlineData("tags[2]", "\"c\"")]
    [InlineData("tags['1']", "\"b\"")]
    [InlineData("region[0]", "\"u\"")]
    [InlineData("trigger?.parameters?.env", "\"prod\"")]
    [InlineData("nothing?.foo", "null")]
    [InlineData("nothing?.foo.bar.baz", "null")]
    [InlineData("nothing?.size()", "null")]
    [InlineData("#root.region", "\"us-west-2\"")]
    [InlineData("#root['replicas']", "3")]
    [InlineData("#this.replicas", "3")]
    [InlineData("parameters.env", "\"prod\"")]
    [InlineData("trigger.buildInfo.number", "42")]
    [InlineData("execution.stages[3].startTime", "null")]
    [InlineData("(labels).tier", "\"backend\"")]
    public void PropertyAccess_ResolvesAgainstRoot(string expression, string expectedJson) =>
        Assert.Equal(expectedJson, Eval(expression));

    [Fact]
    public void Object_Result_IsDetachedCopy()
    {
        var result = _evaluator.Evaluate("${labels}", _root)!.AsObject();
        result["team"] = "changed";

        Assert.Equal("core", _root["labels"]!["team"]!.GetValue<string>());
        Assert.Null(result.Parent);
    }

    [Theory]
    [InlineData("missing", "'missing' cannot be found")]
    [InlineData("labels.missing", "'missing' cannot be found")]
    [InlineData("nothing.foo", "of null")]
    [InlineData("tags[3]", "index 3 is out of bounds")]
    [InlineData("tags[-1]", "out of bounds")]
    [InlineData("region[100]", "out of bounds")]
    [InlineData("tags['x']", "must be an integer")]
    [InlineData("replicas[0]", "cannot index")]
    [InlineData("nothing[0]", "cannot index into null")]
    [InlineData("region.length", "cannot read property 'length'")]
    public void PropertyAccess_Invalid_ThrowsWithReason(string expression, string reason) =>
        Assert.Contains(reason, Fails(expression).Message, StringComparison.Ordinal);

    // ---- operators ----

    [Theory]
    [InlineData("1 == 1", "true")]
    [InlineData("1 == 1.0", "true")]
    [InlineData("'a' == 'a'", "true")]
    [InlineData("'5' == 5", "false")]
    [InlineData("null == nothing", "true")]
    [InlineData("{1,2} == {1,2}", "true")]
    [InlineData("labels == {'team':'core','tier':'backend'}", "true")]
    [InlineData("'a' != 'b'", "true")]
    [InlineData("2 < 3", "true")]
    [InlineData("3 <= 3", "true")]
    [InlineData("4 > 5", "false")]
    [InlineData("5 >= 5", "true")]
    [InlineData("'abc' < 'abd'", "true")]
    [InlineData("null < 1", "true")]
    [InlineData("1 eq 1", "true")]
    [InlineData("1 ne 1", "false")]
    [InlineData("2 lt 3", "true")]
    [InlineData("3 le 2", "false")]
    [InlineData("2 gt 3", "false")]
    [InlineData("3 ge 3", "true")]
    [InlineData("true and false", "false")]
    [InlineData("true && true", "true")]
    [InlineData("false or true", "true")]
    [InlineData("false || false", "false")]
    [InlineData("not true", "false")]
    [InlineData("NOT false", "true")]
    [InlineData("!false", "true")]
    [InlineData("!!true", "true")]
    [InlineData("replicas > 2 and enabled", "true")]
    [InlineData("false and missing.property", "false")]
    [InlineData("true or missing.property", "true")]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("10 - 4 - 3", "3")]
    [InlineData("7 / 2", "3")]
    [InlineData("7.0 / 2", "3.5")]
    [InlineData("7 div 2", "3")]
    [InlineData("7 % 3", "1")]
    [InlineData("-7 % 3", "-1")]
    [InlineData("7 mod 4", "3")]
    [InlineData("ratio * 4", "2")]
    [InlineData("-5 + 2", "-3")]
    [InlineData("-(2 + 3)", "-5")]
    [InlineData("+4", "4")]
    [InlineData("2 ^ 10", "1024")]
    [InlineData("'a' + 'b'", "\"ab\"")]
    [InlineData("'n' + 1", "\"n1\"")]
    [InlineData("1 + 2 + 'x'", "\"3x\"")]
    [InlineData("'x' + 1 + 2", "\"x12\"")]
    [InlineData("'x' + null", "\"xnull\"")]
    [InlineData("'v' + 1.5", "\"v1.5\"")]
    [InlineData("'v' + 2.0", "\"v2.0\"")]
    [InlineData("'ab' * 3", "\"ababab\"")]
    [InlineData("enabled ? 'on' : 'off'", "\"on\"")]
    [InlineData("replicas > 5 ? 'many' : replicas > 1 ? 'some' : 'one'", "\"some\"")]
    [InlineData("nothing ?: 'default'", "\"default\"")]
    [InlineData("empty ?: 'default'", "\"default\"")]
    [InlineData("region ?: 'default'", "\"us-west-2\"")]
    [InlineData("'abc' matches 'a.c'", "true")]
    [InlineData("'abcd' matches 'a.c'", "false")]
    [InlineData("region matches 'us-(east|west)-[0-9]+'", "true")]
    [InlineData("'ab' matches 'a|ab'", "true")]
    [InlineData("'flag:' + (trigger.parameters.flag == 'true')", "\"flag:true\"")]
    public void Operators_Evaluate(string expression, string expectedJson) =>
        Assert.Equal(expectedJson, Eval(expression));

    [Theory]
    [InlineData("1 / 0", "division by zero")]
    [InlineData("1 % 0", "division by zero")]
    [InlineData("1.0 / 0", "not a finite number")]
    [InlineData("'a' - 1", "operator '-' cannot be applied")]
    [InlineData("9223372036854775807 + 1", "integer overflow")]
    [InlineData("2 ^ 64", "integer overflow")]
    [InlineData("-'a'", "needs a number")]
    [InlineData("1 < 'a'", "cannot compare")]
    [InlineData("replicas ? 1 : 2", "must be a boolean")]
    [InlineData("1 and true", "must be a boolean")]
    [InlineData("not 'maybe'", "must be a boolean")]
    [InlineData("'a' matches '('", "invalid regular expression")]
    [InlineData("1 == 1 == 1", "unexpected '=='")]
    [InlineData("1 +", "unexpected end")]
    [InlineData("(1", "expected ')'")]
    [InlineData("'open", "unterminated string literal")]
    [InlineData("tags[0", "expected ']'")]
    [InlineData("1 2", "unexpected '2'")]
    [InlineData("", "empty")]
    [InlineData("a instanceof b", "instanceof")]
    public void Operators_Invalid_ThrowWithReason(string expression, string reason) =>
        Assert.Contains(reason, Fails(expression).Message, StringComparison.Ordinal);

    // ---- methods ----

    [Theory]
    [InlineData("region.toUpperCase()", "\"US-WEST-2\"")]
    [InlineData("'ABC'.toLowerCase()", "\"abc\"")]
    [InlineData("region.contains('west')", "true")]
    [InlineData("region.contains('east')", "false")]
    [InlineData("region.startsWith('us')", "true")]
    [InlineData("region.endsWith('-2')", "true")]
    [InlineData("'a,b,,c,,'.split(',')", "[\"a\",\"b\",\"\",\"c\"]")]
    [InlineData("'a.b'.split('\\.')", "[\"a\",\"b\"]")]
    [InlineData("'a1b22c'.split('[0-9]+').size()", "3")]
    [InlineData("'none'.split(',')", "[\"none\"]")]
    [InlineData("'aaa'.replace('a', 'b')", "\"bbb\"")]
    [InlineData("'a.b.c'.replace('.', '-')", "\"a-b-c\"")]
    [InlineData("'a1b22'.replaceAll('[0-9]+', '#')", "\"a#b#\"")]
    [InlineData("'John Smith'.replaceAll('(\\w+) (\\w+)', '$2, $1')", "\"Smith, John\"")]
    [InlineData("'cost'.replaceAll('cost', '\\$5')", "\"$5\"")]
    [InlineData("'hello'.substring(1)", "\"ello\"")]
    [InlineData("'hello'.substring(1, 3)", "\"el\"")]
    [InlineData("'hello'.indexOf('l')", "2")]
    [InlineData("'hello'.indexOf('z')", "-1")]
    [InlineData("'hello'.indexOf('l', 3)", "3")]
    [InlineData("'  x y  '.trim()", "\"x y\"")]
    [InlineData("'hello'.length()", "5")]
    [InlineData("''.isEmpty()", "true")]
    [InlineData("region.isEmpty()", "false")]
    [InlineData("'a'.equals('a')", "true")]
    [InlineData("'a'.equals(1)", "false")]
    [InlineData("'ABC'.equalsIgnoreCase('abc')", "true")]
    [InlineData("region.toString()", "\"us-west-2\"")]
    [InlineData("replicas.toString()", "\"3\"")]
    [InlineData("ratio.toString()", "\"0.5\"")]
    [InlineData("enabled.toString()", "\"true\"")]
    [InlineData("replicas.equals(3)", "true")]
    [InlineData("tags.size()", "3")]
    [InlineData("tags.isEmpty()", "false")]
    [InlineData("{}.isEmpty()", "true")]
    [InlineData("tags.contains('b')", "true")]
    [InlineData("tags.contains('z')", "false")]
    [InlineData("numbers.contains(2)", "true")]
    [InlineData("tags.get(1)", "\"b\"")]
    [InlineData("tags.toString()", "\"[\\\"a\\\",\\\"b\\\",\\\"c\\\"]\"")]
    [InlineData("labels.containsKey('team')", "true")]
    [InlineData("labels.containsKey('owner')", "false")]
    [InlineData("labels.size()", "2")]
    [InlineData("labels.get('tier')", "\"backend\"")]
    [InlineData("region.split('-')[1].toUpperCase().substring(0, 1)", "\"W\"")]
    [InlineData("trigger.parameters.containsKey('env') ? trigger.parameters.env : 'dev'", "\"prod\"")]
    public void Methods_OnAllowList_Evaluate(string expression, string expectedJson) =>
        Assert.Equal(expectedJson, Eval(expression));

    [Theory]
    [InlineData("'hello'.substring(9)", "out of range")]
    [InlineData("'hello'.substring(3, 1)", "out of range")]
    [InlineData("tags.get(5)", "out of bounds")]
    [InlineData("'x'.size()", "method 'size' is not available on a string")]
    [InlineData("tags.toUpperCase()", "method 'toUpperCase' is not available on a list")]
    [InlineData("'x'.substring()", "expects 1 to 2 argument(s)")]
    [InlineData("'x'.contains(null)", "needs a string argument")]
    [InlineData("nothing.toString()", "on null")]
    [InlineData("'x'.replaceAll('x', '$')", "illegal group reference")]
    public void Methods_Misused_ThrowWithReason(string expression, string reason) =>
        Assert.Contains(reason, Fails(expression).Message, StringComparison.Ordinal);

    // ---- selection and projection ----

    [Theory]
    [InlineData("execution.stages.?[type == 'wait'].![name]", "[\"Wait a bit\",\"Cool down\"]")]
    [InlineData("execution.stages.^[type == 'wait'].name", "\"Wait a bit\"")]
    [InlineData("execution.stages.$[type == 'wait'].name", "\"Cool down\"")]
    [InlineData("execution.stages.^[type == 'nope']", "null")]
    [InlineData("execution.stages.?[type == 'nope']", "[]")]
    [InlineData("execution.stages.?[status == 'SUCCEEDED' and type != 'bake'].![refId]", "[\"2\",\"3\"]")]
    [InlineData("execution.stages.?[#this.type == 'bake'][0].outputs.imageId", "\"ami-123\"")]
    [InlineData("execution.stages.?[context['account'] == trigger.parameters.env].![name]", "[\"Deploy\"]")]
    [InlineData("execution.stages.?[outputs.containsKey('imageId')].size()", "1")]
    [InlineData("execution.stages.![context['waitTime'] ?: 0]", "[0,30,0,60,0]")]
    [InlineData("execution.stages[0].outputs.deploymentDetails.![imageId]", "[\"ami-123\"]")]
    [InlineData("numbers.?[#this > 1]", "[3,2]")]
    [InlineData("numbers.![#this * 2]", "[6,2,4]")]
    [InlineData("tags.![#this.toUpperCase()]", "[\"A\",\"B\",\"C\"]")]
    [InlineData("tags.![toUpperCase()]", "[\"A\",\"B\",\"C\"]")]
    [InlineData("{1,2,3,4}.?[#this % 2 == 0].![#this * 10]", "[20,40]")]
    [InlineData("{{1,2},{3}}.![#this.![#this + 1]]", "[[2,3],[4]]")]
    [InlineData("tags.?[#this == region]", "[]")]
    [InlineData("labels.?[value == 'core']", "{\"team\":\"core\"}")]
    [InlineData("labels.![key]", "[\"team\",\"tier\"]")]
    [InlineData("labels.$[key.startsWith('t')]", "{\"tier\":\"backend\"}")]
    public void SelectionAndProjection_Evaluate(string expression, string expectedJson) =>
        Assert.Equal(expectedJson, Eval(expression));

    [Theory]
    [InlineData("nothing.?[true]", "cannot apply a selection to null")]
    [InlineData("region.![#this]", "needs a list or a map")]
    [InlineData("numbers.?[#this]", "must be a boolean")]
    [InlineData("execution.stages.?[context.account == 'prod']", "'account' cannot be found")]
    public void SelectionAndProjection_Invalid_ThrowWithReason(string expression, string reason) =>
        Assert.Contains(reason, Fails(expression).Message, StringComparison.Ordinal);

    // ---- helper functions ----

    [Theory]
    [InlineData("#stage('Bake').outputs.imageId", "\"ami-123\"")]
    [InlineData("#stage('Bake')['context']['region']", "\"us-east-1\"")]
    [InlineData("#stage('Wait a bit').status", "\"SUCCEEDED\"")]
    [InlineData("#stageByRefId('2').name", "\"Wait a bit\"")]
    [InlineData("#stageExists('Bake')", "true")]
    [InlineData("#stageExists('s2')", "true")]
    [InlineData("#stageExists('Nope')", "false")]
    [InlineData("#judgement('Approve')", "\"Approved\"")]
    [InlineData("#judgment('Approve') == 'Approved'", "true")]
    [InlineData("#toJson(labels)", "\"{\\\"team\\\":\\\"core\\\",\\\"tier\\\":\\\"backend\\\"}\"")]
    [InlineData("#toJson({1,'a',null})", "\"[1,\\\"a\\\",null]\"")]
    [InlineData("#toJson('it''s')", "\"\\\"it's\\\"\"")]
    [InlineData("#toInt('42') + 1", "43")]
    [InlineData("#toInt(trigger.parameters.count) * 2", "6")]
    [InlineData("#toInt(7.9)", "7")]
    [InlineData("#toFloat('2.5') * 2", "5")]
    [InlineData("#toFloat(2)", "2")]
    [InlineData("#toBoolean('TRUE')", "true")]
    [InlineData("#toBoolean('yes')", "false")]
    [InlineData("#toBoolean(trigger.parameters.flag) && true", "true")]
    [InlineData("#alphanumerical('my-app_v1.2')", "\"myappv12\"")]
    [InlineData("#readJson('{\"a\":[1,2]}').a[1]", "2")]
    [InlineData("#readJson('[1,2,3]').size()", "3")]
    [InlineData("#readJson(#toJson(labels)) == labels", "true")]
    [InlineData("#toBase64('hi')", "\"aGk=\"")]
    [InlineData("#fromBase64('aGk=')", "\"hi\"")]
    [InlineData("#root.region", "\"us-west-2\"")]
    public void HelperFunctions_Evaluate(string expression, string expectedJson) =>
        Assert.Equal(expectedJson, Eval(expression));

    [Theory]
    [InlineData("#stage('Nope')", "unable to locate stage 'Nope'")]
    [InlineData("#stageByRefId('99')", "refId '99'")]
    [InlineData("#judgment('Bake')", "manual judgment stage 'Bake'")]
    [InlineData("#toInt('x')", "#toInt cannot convert")]
    [InlineData("#toFloat('x')", "#toFloat cannot convert")]
    [InlineData("#readJson('{oops')", "invalid JSON")]
    [InlineData("#fromBase64('!!')", "invalid Base64")]
    [InlineData("#stage('a', 'b')", "expects 1 argument(s) but got 2")]
    [InlineData("#nosuch(1)", "unknown function '#nosuch'")]
    [InlineData("#stage", "must be called")]
    [InlineData("#currentStage()", "#currentStage() is not available")]
    public void HelperFunctions_Invalid_ThrowWithReason(string expression, string reason) =>
        Assert.Contains(reason, Fails(expression).Message, StringComparison.Ordinal);

    [Fact]
    public void StageFunctions_WithoutExecution_ThrowClearError()
    {
        var root = new JsonObject { ["x"] = 1 };
        var ex = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate("#stage('Bake')", root));
        Assert.Contains("no execution stages", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StageFunction_RootIsExecution_FindsStage()
    {
        var root = _root["execution"]!.DeepClone().AsObject();
        Assert.Equal("ami-123", _evaluator.Evaluate("#stage('Bake').outputs.imageId", root)!.GetValue<string>());
    }

    [Fact]
    public void CurrentStage_WhenRootProvidesIt_ReturnsIt()
    {
        _root["#currentStage"] = new JsonObject { ["name"] = "Deploy" };
        Assert.Equal("Deploy", EvalString("#currentStage().name"));
    }

    // ---- Evaluate / EvaluateCondition ----

    [Theory]
    [InlineData("replicas + 1")]
    [InlineData("${replicas + 1}")]
    [InlineData("  ${replicas + 1}  ")]
    public void Evaluate_WithOrWithoutDelimiters_GivesSameTypedValue(string expression) =>
        Assert.Equal("4", Eval(expression));

    [Fact]
    public void Evaluate_TemplateWithText_ReturnsString() =>
        Assert.Equal("us-west-2 x3", EvalString("${region} x${replicas}"));

    [Fact]
    public void Evaluate_Failure_MessageNamesExpressionAndReason()
    {
        var ex = Fails("${trigger.parameters.missing}");

        Assert.Equal("${trigger.parameters.missing}", ex.Expression);
        Assert.Contains("${trigger.parameters.missing}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'missing' cannot be found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'missing' cannot be found", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_UnclosedTemplate_Throws()
    {
        var ex = Fails("${region");
        Assert.Contains("no closing '}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${enabled}", true)]
    [InlineData("enabled", true)]
    [InlineData("${1 > 2}", false)]
    [InlineData("${trigger.parameters.flag}", true)]
    [InlineData("'False'", false)]
    [InlineData("${trigger.parameters.env == 'prod' && #stage('Bake').status == 'SUCCEEDED'}", true)]
    public void EvaluateCondition_BooleanOrBooleanString_ReturnsIt(string expression, bool expected) =>
        Assert.Equal(expected, _evaluator.EvaluateCondition(expression, _root));

    [Theory]
    [InlineData("${replicas}")]
    [InlineData("${region}")]
    [InlineData("${nothing}")]
    [InlineData("${labels}")]
    public void EvaluateCondition_NonBoolean_Throws(string expression)
    {
        var ex = Assert.Throws<ExpressionException>(() => _evaluator.EvaluateCondition(expression, _root));
        Assert.Contains("must be a boolean", ex.Message, StringComparison.Ordinal);
        Assert.Equal(expression, ex.Expression);
    }

    [Fact]
    public void Evaluate_DoesNotModifyRoot()
    {
        var before = _root.ToJsonString();
        _evaluator.Evaluate("execution.stages.?[type == 'wait'].![name]", _root);
        _evaluator.Evaluate("#toJson(execution)", _root);
        _evaluator.Evaluate("{execution, trigger}", _root);
        Assert.Equal(before, _root.ToJsonString());
    }

    [Fact]
    public void Evaluate_RootBuiltInCode_ReadsClrBackedValues()
    {
        var root = new JsonObject
        {
            ["i"] = 5,
            ["d"] = 2.5m,
            ["f"] = 1.5f,
            ["s"] = "text",
            ["b"] = true,
            ["u"] = (ushort)7,
        };

        Assert.Equal("\"5|2.5|1.5|text|true|7\"", TestData.Json(_evaluator.Evaluate(
            "i + '|' + d + '|' + f + '|' + s + '|' + b + '|' + u", root)));
        Assert.Equal("15", TestData.Json(_evaluator.Evaluate("i * 2 + u - 2", root)));
    }
}
