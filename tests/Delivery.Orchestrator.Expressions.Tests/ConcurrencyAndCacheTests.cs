using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Tests;

public sealed class ConcurrencyAndCacheTests
{
    [Fact]
    public void SharedEvaluator_UsedFromManyThreads_GivesCorrectResults()
    {
        var evaluator = TestData.Evaluator();
        var failures = 0;

        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            // Each thread uses its own root: JsonNode trees are not safe for concurrent first reads.
            var root = TestData.Root();
            root["i"] = i;
            var ok = evaluator.Evaluate("${i * 2 + #stage('Bake').outputs.imageId.length()}", root)!.GetValue<long>() == i * 2 + 7
                && evaluator.EvaluateCondition("execution.stages.?[type == 'wait'].size() == 2", root)
                && evaluator.ProcessTree(JsonValue.Create("n=${i}"), root).Value!.GetValue<string>() == $"n={i}"
                && evaluator.ProcessTree(JsonValue.Create("${missing" + (i % 7) + "}"), root).Errors.Count == 1;
            if (!ok)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void ManyDistinctExpressions_BeyondCacheBound_StillEvaluateCorrectly()
    {
        var evaluator = TestData.Evaluator();
        var root = new JsonObject { ["x"] = 1 };

        for (var i = 0; i < 25_000; i++)
        {
            Assert.Equal(i + 1, evaluator.Evaluate($"{i} + x", root)!.GetValue<long>());
        }

        // Cached parse failures keep failing with the same reason.
        var first = Assert.Throws<ExpressionException>(() => evaluator.Evaluate("'x'.getClass()", root));
        var second = Assert.Throws<ExpressionException>(() => evaluator.Evaluate("'x'.getClass()", root));
        Assert.Equal(first.Message, second.Message);
    }

    [Fact]
    public void CachedExpression_IsReEvaluatedAgainstEachRoot()
    {
        var evaluator = TestData.Evaluator();

        Assert.Equal("a", evaluator.Evaluate("${name}", new JsonObject { ["name"] = "a" })!.GetValue<string>());
        Assert.Equal("b", evaluator.Evaluate("${name}", new JsonObject { ["name"] = "b" })!.GetValue<string>());
    }
}
