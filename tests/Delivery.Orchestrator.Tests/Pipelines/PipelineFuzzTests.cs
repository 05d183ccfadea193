using Delivery.Orchestrator.Expressions;
using Delivery.ServiceDefaults;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Pipelines;
using Delivery.Orchestrator.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Orchestrator.Tests.Pipelines;

/// <summary>
/// Random and mutated pipeline documents through parsing, validation, execution building and
/// expression evaluation: each is answered (accepted, or refused with a reason), nothing throws,
/// nothing hangs. A sample also goes through the HTTP API, which must never answer 5xx.
/// </summary>
[Collection(nameof(EngineCollection))]
public sealed class PipelineFuzzTests(EngineFixture fixture)
{
    private const int Documents = 10_000;
    private static readonly string[] Types = ["wait", "manualJudgment", "evaluateVariables", "bogus", "", "WAIT"];
    private static readonly string[] Expressions =
    [
        "${trigger.parameters.env}", "${#stage('a')['outputs']['x']}", "${execution.stages.?[type == 'wait'].size()}",
        "${1/0}", "${", "${T(java.lang.Runtime).getRuntime()}", "${#toInt('x')}", "${'a' * 100000000}", "${((((((1))))))}",
        "${trigger['payload']?.tag ?: 'latest'}", "${parameters.x.toLowerCase().split(',')[9]}", "${#readJson('{')}",
    ];

    [Fact]
    public void RandomAndMutatedPipelines_AreAnsweredWithoutExceptionOrHang()
    {
        var services = fixture.Factory.Services;
        var validator = services.GetRequiredService<PipelineValidator>();
        var factory = services.GetRequiredService<ExecutionFactory>();
        var expressions = services.GetRequiredService<IStageExpressions>();
        var random = new Random(20261121);
        var (accepted, refused) = (0, 0);
        var slowest = TimeSpan.Zero;

        for (var i = 0; i < Documents; i++)
        {
            var text = Mutate(random, RandomPipeline(random).ToJsonString());
            var watch = Stopwatch.StartNew();
            try
            {
                var (config, parseError) = StrictJson.ParseObject(text, "The pipeline");
                if (config is null)
                {
                    Assert.False(string.IsNullOrEmpty(parseError));
                    refused++;
                    continue;
                }
                var errors = validator.Validate(config);
                if (errors.Count > 0)
                {
                    Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e)));
                    refused++;
                    continue;
                }
                config["id"] = "fuzz";
                var (execution, problem) = factory.Create(config, RandomTrigger(random), Ids.NewUlid());
                if (execution is null)
                {
                    Assert.False(string.IsNullOrEmpty(problem));
                    refused++;
                    continue;
                }
                foreach (var stage in execution.Stages)
                {
                    try
                    {
                        expressions.IsEnabled(execution, stage);
                    }
                    catch (ExpressionException e)
                    {
                        // The engine skips such a stage, as Orca does; the failure names the expression.
                        Assert.False(string.IsNullOrEmpty(e.Expression));
                    }
                    expressions.ProcessContext(execution, stage);
                }
                accepted++;
            }
            catch (Exception e)
            {
                Assert.Fail($"Document {i} threw {e.GetType().Name}: {e.Message}\n{text[..Math.Min(text.Length, 2_000)]}");
            }
            finally
            {
                slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            }
        }

        Assert.True(accepted > 500 && refused > 500, $"accepted {accepted}, refused {refused}: the generator must exercise both paths");
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"slowest document took {slowest}");
    }

    [Fact]
    public async Task RandomPipelinesThroughTheApi_NeverGetA5xx()
    {
        var http = fixture.Client.Http;
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var text = Mutate(random, RandomPipeline(random).ToJsonString());
            var save = await http.PostAsync("/pipelines", new StringContent(text, Encoding.UTF8, "application/json"));
            Assert.True((int)save.StatusCode < 500, $"POST /pipelines answered {(int)save.StatusCode} for {text}");
            if (save.IsSuccessStatusCode)
            {
                var saved = JsonNode.Parse(await save.Content.ReadAsStringAsync())!;
                var trigger = await http.PostAsync(
                    $"/pipelines/{saved["application"]}/{Uri.EscapeDataString(saved["name"]!.GetValue<string>())}",
                    new StringContent(RandomTrigger(random).ToJsonString(), Encoding.UTF8, "application/json"));
                Assert.True((int)trigger.StatusCode < 500, $"trigger answered {(int)trigger.StatusCode}");
            }
        }
        // The host still runs a good pipeline afterwards.
        var name = await fixture.Client.SaveStagesAsync("after-fuzz", DeliveryClient.Wait("1", 0));
        await fixture.Client.WaitForStatusAsync(await fixture.Client.TriggerAsync("test", name), "SUCCEEDED");
    }

    private static JsonObject RandomPipeline(Random random)
    {
        var count = random.Next(0, 8);
        var stages = new JsonArray();
        for (var i = 1; i <= count; i++)
        {
            var stage = new JsonObject
            {
                ["refId"] = random.Next(4) == 0 ? random.Next(1, count + 2).ToString() : i.ToString(),
                ["type"] = random.Next(5) == 0 ? Pick(random, Types) : Pick(random, ["wait", "evaluateVariables", "manualJudgment"]),
                ["name"] = $"s{i}",
                ["waitTime"] = random.Next(3) == 0 ? Pick(random, Expressions) : 0,
                ["requisiteStageRefIds"] = new JsonArray([.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => (JsonNode)random.Next(0, count + 2).ToString())]),
                ["variables"] = new JsonArray(new JsonObject { ["key"] = "k", ["value"] = Pick(random, Expressions) }),
            };
            if (random.Next(4) == 0)
            {
                stage["stageEnabled"] = new JsonObject { ["type"] = "expression", ["expression"] = Pick(random, [.. Expressions, "true", "false", "1 == 1"]) };
            }
            stages.Add(stage);
        }
        return new JsonObject
        {
            ["application"] = random.Next(20) == 0 ? "" : "fuzz",
            ["name"] = $"p{random.Next(50)}",
            ["limitConcurrent"] = false,
            ["parameterConfig"] = new JsonArray(new JsonObject { ["name"] = "env", ["default"] = "dev", ["required"] = random.Next(2) == 0 }),
            ["stages"] = stages,
        };
    }

    private static JsonObject RandomTrigger(Random random) => new()
    {
        ["type"] = "manual",
        ["parameters"] = random.Next(3) == 0 ? new JsonObject() : new JsonObject { ["env"] = Pick(random, ["prod", "", "dev,test"]) },
    };

    /// <summary>Structural and textual damage: truncation, swapped types, duplicated spans, deep nesting, junk.</summary>
    private static string Mutate(Random random, string json)
    {
        switch (random.Next(10))
        {
            case 0:
                return json[..random.Next(json.Length)];
            case 1:
                var at = random.Next(json.Length);
                return json.Insert(at, Pick(random, ["{", "}", "[", "]", "\"", ",", ":", "null", "\\u0000", "${"]));
            case 2:
                return json.Replace("\"requisiteStageRefIds\":[", "\"requisiteStageRefIds\":[[", StringComparison.Ordinal);
            case 3:
                return json.Replace("\"stages\":", "\"stages\":{\"x\":", StringComparison.Ordinal) + "}";
            case 4:
                return new string('[', random.Next(100, 5_000)) + new string(']', random.Next(100, 5_000));
            case 5:
                var start = random.Next(json.Length);
                return json + json[start..Math.Min(json.Length, start + random.Next(200))];
            case 6:
                return json.Replace("\"type\":\"wait\"", "\"type\":42", StringComparison.Ordinal);
            default:
                return json;
        }
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
