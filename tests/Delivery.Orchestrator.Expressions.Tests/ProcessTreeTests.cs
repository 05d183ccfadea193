using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Tests;

public sealed class ProcessTreeTests
{
    private readonly ExpressionEvaluator _evaluator = TestData.Evaluator();
    private readonly JsonObject _root = TestData.Root();

    private ExpressionResult Process(string json) => _evaluator.ProcessTree(JsonNode.Parse(json), _root);

    [Fact]
    public void ProcessTree_WholeStringExpression_KeepsType()
    {
        var result = Process("""
            {
              "count": "${replicas}",
              "ratio": "${ratio}",
              "enabled": "${enabled}",
              "labels": "${labels}",
              "tags": "${tags}",
              "none": "${nothing}",
              "text": "${region}"
            }
            """);

        Assert.Empty(result.Errors);
        var obj = result.Value!.AsObject();
        Assert.Equal(JsonValueKind.Number, obj["count"]!.GetValueKind());
        Assert.Equal(3, obj["count"]!.GetValue<long>());
        Assert.Equal(0.5, obj["ratio"]!.GetValue<double>());
        Assert.Equal(JsonValueKind.True, obj["enabled"]!.GetValueKind());
        Assert.Equal("""{"team":"core","tier":"backend"}""", obj["labels"]!.ToJsonString());
        Assert.Equal("""["a","b","c"]""", obj["tags"]!.ToJsonString());
        Assert.True(obj.ContainsKey("none"));
        Assert.Null(obj["none"]);
        Assert.Equal("us-west-2", obj["text"]!.GetValue<string>());
    }

    [Fact]
    public void ProcessTree_TextWithExpressions_BuildsString()
    {
        var result = Process("""
            {
              "count": "n=${replicas}",
              "multi": "${region}-${replicas}-${enabled}",
              "object": "labels: ${labels}",
              "list": "tags=${tags}",
              "none": "x${nothing}y",
              "double": "v${1.0}",
              "padded": " ${replicas} "
            }
            """);

        Assert.Empty(result.Errors);
        var obj = result.Value!.AsObject();
        Assert.Equal("n=3", obj["count"]!.GetValue<string>());
        Assert.Equal("us-west-2-3-true", obj["multi"]!.GetValue<string>());
        Assert.Equal("""labels: {"team":"core","tier":"backend"}""", obj["object"]!.GetValue<string>());
        Assert.Equal("""tags=["a","b","c"]""", obj["list"]!.GetValue<string>());
        Assert.Equal("xy", obj["none"]!.GetValue<string>());
        Assert.Equal("v1.0", obj["double"]!.GetValue<string>());
        Assert.Equal(" 3 ", obj["padded"]!.GetValue<string>());
    }

    [Fact]
    public void ProcessTree_NestedObjectsAndArrays_AreAllProcessed()
    {
        var result = Process("""
            {
              "clusters": [
                { "account": "${trigger.parameters.env}", "capacity": { "desired": "${replicas * 2}" } },
                [ "${tags[0]}", 1, true, null, "plain" ]
              ]
            }
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(
            """{"clusters":[{"account":"prod","capacity":{"desired":6}},["a",1,true,null,"plain"]]}""",
            result.Value!.ToJsonString());
    }

    [Fact]
    public void ProcessTree_PropertyNames_AreNotEvaluated()
    {
        var result = Process("""{ "${region}": "${region}" }""");

        Assert.Empty(result.Errors);
        Assert.Equal("us-west-2", result.Value!["${region}"]!.GetValue<string>());
    }

    [Fact]
    public void ProcessTree_LeavesInputUntouched_AndReturnsNewTree()
    {
        var input = JsonNode.Parse("""{ "a": "${replicas}", "b": { "c": ["${region}", 1] }, "d": "plain" }""")!;
        var before = input.ToJsonString();
        var rootBefore = _root.ToJsonString();

        var result = _evaluator.ProcessTree(input, _root);

        Assert.Equal(before, input.ToJsonString());
        Assert.Equal(rootBefore, _root.ToJsonString());
        Assert.NotSame(input, result.Value);
        Assert.Null(result.Value!.Parent);
        result.Value!["d"] = "changed";
        result.Value!["b"]!["c"]!.AsArray().Add(2);
        Assert.Equal(before, input.ToJsonString());
    }

    [Fact]
    public void ProcessTree_TypedObjectResult_IsCopyNotAliasOfRoot()
    {
        var result = Process("""{ "stage": "${#stage('Bake')}" }""");
        result.Value!["stage"]!["name"] = "changed";

        Assert.Equal("Bake", _root["execution"]!["stages"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void ProcessTree_FailingExpression_LeavesStringUnchangedAndReportsError()
    {
        var result = Process("""
            {
              "bad": "${trigger.parameters.missing}",
              "badText": "image ${#stage('Nope').outputs.imageId} here",
              "good": "${replicas}"
            }
            """);

        var obj = result.Value!.AsObject();
        Assert.Equal("${trigger.parameters.missing}", obj["bad"]!.GetValue<string>());
        Assert.Equal("image ${#stage('Nope').outputs.imageId} here", obj["badText"]!.GetValue<string>());
        Assert.Equal(3, obj["good"]!.GetValue<long>());

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Errors.Count);
        Assert.Equal("${trigger.parameters.missing}", result.Errors[0].Expression);
        Assert.Contains("'missing' cannot be found", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("${trigger.parameters.missing}", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("${#stage('Nope').outputs.imageId}", result.Errors[1].Expression);
        Assert.Contains("unable to locate stage 'Nope'", result.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessTree_StringWithOneGoodAndTwoBadExpressions_ReportsBothAndKeepsString()
    {
        var result = Process("""{ "v": "${region}/${missingOne}/${missingTwo}" }""");

        Assert.Equal("${region}/${missingOne}/${missingTwo}", result.Value!["v"]!.GetValue<string>());
        Assert.Equal(["${missingOne}", "${missingTwo}"], result.Errors.Select(e => e.Expression));
    }

    [Theory]
    [InlineData("${region")]
    [InlineData("prefix ${region")]
    [InlineData("${'unterminated}")]
    [InlineData("${ {'a':1}['a'] ")]
    public void ProcessTree_UnclosedExpression_IsErrorNotCrash(string text)
    {
        var result = _evaluator.ProcessTree(new JsonObject { ["v"] = text }, _root);

        Assert.Equal(text, result.Value!["v"]!.GetValue<string>());
        var error = Assert.Single(result.Errors);
        Assert.Contains("no closing '}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${ {'a':1}['a'] }", "1")]
    [InlineData("${ {'a':{'b':2}}['a']['b'] }", "2")]
    [InlineData("${'}' + 'x'}", "\"}x\"")]
    [InlineData("${'{'}", "\"{\"")]
    [InlineData("${\"}\"}", "\"}\"")]
    [InlineData("${'it''s }'}", "\"it's }\"")]
    [InlineData("pre ${'a}b'} post", "\"pre a}b post\"")]
    [InlineData("${{1,2}.size()}", "2")]
    [InlineData("{not an expression} ${replicas}", "\"{not an expression} 3\"")]
    [InlineData("$ {replicas}", "\"$ {replicas}\"")]
    [InlineData("cost: $5", "\"cost: $5\"")]
    public void ProcessTree_BracesInsideExpressions_AreMatched(string text, string expectedJson)
    {
        var result = _evaluator.ProcessTree(new JsonObject { ["v"] = text }, _root);

        Assert.Empty(result.Errors);
        Assert.Equal(expectedJson, TestData.Json(result.Value!["v"]));
    }

    [Fact]
    public void ProcessTree_EmptyExpression_IsError()
    {
        var result = _evaluator.ProcessTree(JsonValue.Create("${}"), _root);

        Assert.Equal("${}", result.Value!.GetValue<string>());
        Assert.Contains("empty", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessTree_Null_ReturnsNullWithoutErrors()
    {
        var result = _evaluator.ProcessTree(null, _root);

        Assert.Null(result.Value);
        Assert.Empty(result.Errors);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void ProcessTree_TreeWithoutExpressions_IsEqualCopy()
    {
        var input = JsonNode.Parse("""{ "a": [1, 2.5, "x", true, null, {"b": "c"}], "n": -3 }""")!;

        var result = _evaluator.ProcessTree(input, _root);

        Assert.Empty(result.Errors);
        Assert.True(JsonNode.DeepEquals(input, result.Value));
        Assert.NotSame(input, result.Value);
    }

    [Fact]
    public void ProcessTree_ScalarStringRoot_IsProcessed()
    {
        var result = _evaluator.ProcessTree(JsonValue.Create("${replicas + 1}"), _root);
        Assert.Equal(4, result.Value!.GetValue<long>());
    }

    [Fact]
    public void ProcessTree_SpinnakerStageContext_Example()
    {
        var context = JsonNode.Parse("""
            {
              "stageEnabled": { "type": "expression", "expression": "${trigger.parameters.env == 'prod'}" },
              "instanceType": "${trigger.parameters.env == 'prod' ? 'large' : 'small'}",
              "imageId": "${#stage('Bake')['outputs']['imageId']}",
              "waitStages": "${execution.stages.?[type == 'wait'].size()}",
              "approvedBy": "${#judgment('Approve')}",
              "message": "Deploying ${#stage('Bake').outputs.imageId} to ${trigger.parameters.env} (${execution.stages.size()} stages)"
            }
            """);

        var result = _evaluator.ProcessTree(context, _root);

        Assert.Empty(result.Errors);
        Assert.Equal(
            """{"stageEnabled":{"type":"expression","expression":true},"instanceType":"large","imageId":"ami-123","waitStages":2,"approvedBy":"Approved","message":"Deploying ami-123 to prod (5 stages)"}""",
            result.Value!.ToJsonString());
    }

    [Fact]
    public void UndecodableStringInData_IsReportedNotThrown()
    {
        // Valid JSON syntax, but an escaped lone surrogate that System.Text.Json refuses to decode.
        var root = JsonNode.Parse("""{ "bad": "x\ud800", "ok": 1 }""")!.AsObject();
        var tree = JsonNode.Parse("""{ "a": "${bad}", "b": "${ok}", "c": "\ud800 ${ok}" }""");

        Assert.False(ExpressionEvaluator.ContainsExpressions(JsonNode.Parse("""["\ud800 ${x}"]""")));
        var result = _evaluator.ProcessTree(tree, root);

        Assert.Equal(1, result.Value!["b"]!.GetValue<long>());
        Assert.Equal("${bad}", result.Value!["a"]!.GetValue<string>());
        Assert.Contains("not valid text", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        Assert.Throws<ExpressionException>(() => _evaluator.Evaluate("#readJson('\"\\ud800\"')", root));
    }

    [Fact]
    public void ContainsExpressions_FindsNestedStringsOnly()
    {
        Assert.True(ExpressionEvaluator.ContainsExpressions(JsonNode.Parse("""{ "a": [1, { "b": "x ${y} z" }] }""")));
        Assert.True(ExpressionEvaluator.ContainsExpressions(JsonValue.Create("${a")));
        Assert.True(ExpressionEvaluator.ContainsExpressions(new JsonObject { ["a"] = new JsonArray("${b}") }));
        Assert.False(ExpressionEvaluator.ContainsExpressions(JsonNode.Parse("""{ "${key}": "value", "n": 1, "a": ["$", "{", "$ {x}"] }""")));
        Assert.False(ExpressionEvaluator.ContainsExpressions(JsonValue.Create(12)));
        Assert.False(ExpressionEvaluator.ContainsExpressions(null));
        Assert.False(ExpressionEvaluator.ContainsExpressions(new JsonObject { ["a"] = null }));
    }
}
