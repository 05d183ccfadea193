using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Expressions.Tests;

/// <summary><c>#deployedServerGroups()</c> and its bare alias, as Orca's DeployedServerGroupsExpressionFunctionProvider lists them.</summary>
public sealed class DeployedServerGroupsTests
{
    private readonly ExpressionEvaluator _evaluator = TestData.Evaluator();

    private static JsonObject Root() => new()
    {
        ["execution"] = new JsonObject
        {
            ["stages"] = new JsonArray(
                Stage("d1", "deploy", "Deploy to staging", "SUCCEEDED", null),
                Stage("c1", "createServerGroup", "Deploy in local", "SUCCEEDED", "d1", ("local", "app-staging-v003"), account: "local"),
                Stage("d2", "deploy", "Deploy to prod", "SUCCEEDED", null),
                Stage("c2", "createServerGroup", "Deploy in local", "SUCCEEDED", "d2", ("local", "app-prod-v007"), account: "prod"),
                Stage("c3", "createServerGroup", "Failed create", "TERMINAL", null, ("local", "app-broken-v001"), account: "local")),
        },
    };

    private static JsonObject Stage(string id, string type, string name, string status, string? parent, (string Region, string Name)? created = null, string? account = null)
    {
        var stage = new JsonObject
        {
            ["id"] = id, ["type"] = type, ["name"] = name, ["status"] = status, ["parentStageId"] = parent,
            ["context"] = new JsonObject { ["capacity"] = new JsonObject { ["min"] = 2, ["max"] = 2, ["desired"] = 2 } },
            ["outputs"] = new JsonObject(),
        };
        if (created is { } c)
        {
            stage["outputs"]!["deploy.server.groups"] = new JsonObject { [c.Region] = new JsonArray(c.Name) };
            stage["outputs"]!["deploy.account.name"] = account;
        }
        return stage;
    }

    [Fact]
    public void WithoutArguments_ListsEverySucceededDeployInOrder()
    {
        var groups = _evaluator.Evaluate("${#deployedServerGroups()}", Root())!.AsArray();

        Assert.Equal(["app-staging-v003", "app-prod-v007"], groups.Select(g => g!["serverGroup"]!.GetValue<string>()));
        Assert.Equal("prod", groups[1]!["account"]!.GetValue<string>());
        Assert.Equal("local", groups[1]!["region"]!.GetValue<string>());
        Assert.Equal("d2", groups[1]!["parentStage"]!.GetValue<string>());
        Assert.Equal("2", groups[1]!["capacity"]!["desired"]!.ToJsonString());
    }

    [Fact]
    public void WithTheDeployStageName_ListsOnlyWhatThatStageCreated() =>
        Assert.Equal("app-prod-v007", _evaluator.Evaluate("${#deployedServerGroups('Deploy to prod')[0].serverGroup}", Root())!.GetValue<string>());

    [Fact]
    public void BareAlias_IsTheFunctionWithoutArguments() =>
        Assert.Equal("app-staging-v003", _evaluator.Evaluate("${deployedServerGroups[0].serverGroup}", Root())!.GetValue<string>());

    [Fact]
    public void WithAnUnknownStage_IsEmpty() =>
        Assert.Equal(0, _evaluator.Evaluate("${#deployedServerGroups('No such stage').size()}", Root())!.GetValue<long>());
}
