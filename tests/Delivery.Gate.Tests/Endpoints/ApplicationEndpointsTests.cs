using System.Net;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;

namespace Delivery.Gate.Tests.Endpoints;

public sealed class ApplicationEndpointsTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private readonly GateClient _client = factory.CreateGateClient();

    private static JsonObject Application(string name) => new()
    {
        ["name"] = name,
        ["email"] = "team@example.com",
        ["permissions"] = new JsonObject
        {
            ["READ"] = new JsonArray("dev", "ops"),
            ["WRITE"] = new JsonArray("ops"),
            ["EXECUTE"] = new JsonArray("ops"),
        },
    };

    [Fact]
    public async Task Create_WithNameEmailAndPermissions_ReturnsTheApplicationWithLowerCasedName()
    {
        var name = GateClient.Unique("Shop");

        var app = (await GateClient.OkJsonAsync(await _client.PostAsync("/applications", Application(name)))).AsObject();

        Assert.Equal(name.ToLowerInvariant(), app["name"]!.GetValue<string>());
        Assert.Equal("team@example.com", app["email"]!.GetValue<string>());
        Assert.Equal(["dev", "ops"], app["permissions"]!["READ"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("ops", app["permissions"]!["EXECUTE"]![0]!.GetValue<string>());
        Assert.True(app["createTs"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Get_ByAnyCase_ReturnsTheSavedApplication()
    {
        var name = GateClient.Unique("Billing");
        await GateClient.OkJsonAsync(await _client.PostAsync("/applications", Application(name)));

        var app = (await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{name.ToUpperInvariant()}"))).AsObject();

        Assert.Equal(name.ToLowerInvariant(), app["name"]!.GetValue<string>());
        Assert.Equal("team@example.com", app["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Again_UpdatesTheApplicationAndKeepsItsCreationTime()
    {
        var name = GateClient.Unique("orders");
        var first = (await GateClient.OkJsonAsync(await _client.PostAsync("/applications", Application(name)))).AsObject();
        var update = Application(name);
        update["email"] = "new-team@example.com";
        await Task.Delay(5);

        var second = (await GateClient.OkJsonAsync(await _client.PostAsync("/applications", update))).AsObject();

        Assert.Equal("new-team@example.com", second["email"]!.GetValue<string>());
        Assert.Equal(first["createTs"]!.GetValue<long>(), second["createTs"]!.GetValue<long>());
        var fetched = await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{name}"));
        Assert.Equal("new-team@example.com", fetched["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_ContainsEveryCreatedApplication()
    {
        var names = new[] { GateClient.Unique("alpha"), GateClient.Unique("beta") };
        foreach (var name in names)
        {
            await GateClient.OkJsonAsync(await _client.PostAsync("/applications", Application(name)));
        }

        var list = (await GateClient.OkJsonAsync(await _client.Http.GetAsync("/applications"))).AsArray();

        var listed = list.Select(a => a!["name"]!.GetValue<string>()).ToList();
        Assert.All(names, n => Assert.Contains(n, listed));
    }

    [Fact]
    public async Task Get_UnknownApplication_Returns404ProblemNamingIt()
    {
        var response = await _client.Http.GetAsync("/applications/no-such-app");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "no-such-app");
    }

    [Fact]
    public async Task SavingAPipeline_ForAnUnknownApplication_CreatesTheApplication()
    {
        var app = GateClient.Unique("implicit");
        await _client.SaveStagesAsync(app, "deploy", GateClient.Wait("1", 0));

        var fetched = await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}"));

        Assert.Equal(app, fetched["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task PipelineConfigs_ListsTheApplicationsConfigsOnly()
    {
        var app = GateClient.Unique("configs");
        await _client.SaveStagesAsync(app, "b-deploy", GateClient.Wait("1", 0));
        await _client.SaveStagesAsync(app, "a-build", GateClient.Wait("1", 0));
        await _client.SaveStagesAsync(GateClient.Unique("other"), "c-other", GateClient.Wait("1", 0));

        var list = (await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelineConfigs"))).AsArray();

        Assert.Equal(["a-build", "b-deploy"], list.Select(c => c!["name"]!.GetValue<string>()));
        Assert.All(list, c => Assert.Equal(app, c!["application"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PipelineConfig_ByName_ReturnsTheSavedConfig()
    {
        var app = GateClient.Unique("config");
        var saved = await _client.SaveStagesAsync(app, "deploy prod", GateClient.Wait("1", 2));

        var config = (await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelineConfigs/deploy%20prod"))).AsObject();

        Assert.Equal(saved["id"]!.GetValue<string>(), config["id"]!.GetValue<string>());
        Assert.Equal(2, config["stages"]![0]!["waitTime"]!.GetValue<double>());
    }

    [Fact]
    public async Task PipelineConfig_Missing_Returns404ProblemNamingIt()
    {
        var app = GateClient.Unique("config");

        var response = await _client.Http.GetAsync($"/applications/{app}/pipelineConfigs/nope");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "'nope'", app);
    }

    [Fact]
    public async Task Executions_AreListedNewestFirst_UpToTheLimit()
    {
        var app = GateClient.Unique("history");
        await _client.SaveStagesAsync(app, "quick", GateClient.Wait("1", 0));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _client.TriggerAsync(app, "quick"));
            await Task.Delay(3);
        }

        var all = (await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelines"))).AsArray();
        var limited = (await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelines?limit=2"))).AsArray();

        Assert.Equal(ids.AsEnumerable().Reverse(), all.Select(e => e!["id"]!.GetValue<string>()));
        Assert.Equal(ids.AsEnumerable().Reverse().Take(2), limited.Select(e => e!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Executions_FilteredByStatuses_ReturnOnlyThoseStatuses()
    {
        var app = GateClient.Unique("filter");
        await _client.SaveStagesAsync(app, "quick", GateClient.Wait("1", 0));
        await _client.SaveStagesAsync(app, "slow", GateClient.Wait("1", 60));
        var done = await _client.TriggerAsync(app, "quick");
        await _client.WaitForStatusAsync(done, "SUCCEEDED");
        var running = await _client.TriggerAsync(app, "slow");
        await _client.WaitForStatusAsync(running, "RUNNING");

        var succeeded = (await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelines?statuses=SUCCEEDED"))).AsArray();
        var both = (await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{app}/pipelines?statuses=running,SUCCEEDED"))).AsArray();

        Assert.Equal([done], succeeded.Select(e => e!["id"]!.GetValue<string>()));
        Assert.Equal([running, done], both.Select(e => e!["id"]!.GetValue<string>()));
        await _client.PutAsync($"/pipelines/{running}/cancel");
    }

    [Fact]
    public async Task Executions_WithAnUnknownStatus_Returns400ProblemNamingIt()
    {
        var response = await _client.Http.GetAsync("/applications/any/pipelines?statuses=RUNNING,DONEISH");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'DONEISH'", "NOT_STARTED", "SUCCEEDED");
    }

    [Fact]
    public async Task Executions_WithANonNumericLimit_Returns400Problem()
    {
        var response = await _client.Http.GetAsync("/applications/any/pipelines?limit=lots");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'limit'", "lots");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("2.5")]
    public async Task Executions_WithALimitThatIsNotAPositiveWholeNumber_Returns400Problem(string limit)
    {
        var response = await _client.Http.GetAsync($"/applications/any/pipelines?limit={limit}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'limit'", limit);
    }

    [Fact]
    public async Task Executions_OfAnApplicationWithNone_IsAnEmptyList()
    {
        var list = (await GateClient.OkJsonAsync(await _client.Http.GetAsync($"/applications/{GateClient.Unique("idle")}/pipelines"))).AsArray();

        Assert.Empty(list);
    }
}
