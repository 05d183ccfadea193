using System.Net;
using System.Text.Json.Nodes;
using Delivery.Echo.Tests.TestHost;

namespace Delivery.Echo.Tests.Endpoints;

public sealed class DockerTriggerTests(EchoFactory factory) : IClassFixture<EchoFactory>
{
    private const string RegistryEvents = "application/vnd.docker.distribution.events.v1+json";
    private readonly DeliveryClient client = factory.Client();

    private async Task<string> SaveAsync(string app, string repository, string tag = @"^v\d+\.\d+\.\d+$")
    {
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", new JsonObject
        {
            ["type"] = "docker", ["enabled"] = true, ["account"] = "my-registry", ["repository"] = repository, ["tag"] = tag,
        }));
        return repository;
    }

    /// <summary>A Docker Registry v2 notification envelope for one manifest push (and the blob push before it).</summary>
    private static string Envelope(string repository, string tag, string digest) => $$"""
        {"events":[
          {"id":"{{Guid.NewGuid()}}","timestamp":"2026-11-29T10:00:00Z","action":"push",
           "target":{"mediaType":"application/octet-stream","digest":"sha256:blob","repository":"{{repository}}"},
           "request":{"host":"registry.local:5000"} },
          {"id":"{{Guid.NewGuid()}}","timestamp":"2026-11-29T10:00:01Z","action":"push",
           "target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{digest}}","repository":"{{repository}}","tag":"{{tag}}"},
           "request":{"host":"registry.local:5000"} }]}
        """;

    [Fact]
    public async Task A_registry_push_of_a_release_tag_starts_the_pipeline_with_the_image_in_the_trigger()
    {
        var app = DeliveryClient.Unique("app");
        var repository = await SaveAsync(app, $"org/{app}");

        var answer = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/docker/my-registry", Envelope(repository, "v1.2.3", "sha256:abc"), RegistryEvents));

        var id = Assert.Single(DeliveryClient.Started(answer));
        var trigger = (await client.GetExecutionAsync(id))["trigger"]!;
        Assert.Equal("docker", trigger["type"]!.GetValue<string>());
        Assert.Equal("v1.2.3", trigger["tag"]!.GetValue<string>());
        Assert.Equal(repository, trigger["repository"]!.GetValue<string>());
        Assert.Equal("sha256:abc", trigger["digest"]!.GetValue<string>());
        Assert.Equal("registry.local:5000", trigger["registry"]!.GetValue<string>());
        Assert.Equal($"registry.local:5000/{repository}@sha256:abc", trigger["artifacts"]![0]!["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_tag_is_usable_in_an_expression_of_the_pipeline()
    {
        var app = DeliveryClient.Unique("app");
        var pipeline = DeliveryClient.Pipeline(app, "deploy", new JsonObject
        {
            ["type"] = "docker", ["enabled"] = true, ["repository"] = $"org/{app}", ["tag"] = @"^v\d+\.\d+\.\d+$",
        });
        pipeline["stages"]![0]!["comments"] = "deploying ${trigger.tag}";
        await client.SavePipelineAsync(pipeline);

        var answer = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/docker/any", Envelope($"org/{app}", "v1.2.3", "sha256:e1"), RegistryEvents));

        var execution = await client.WaitForAsync(Assert.Single(DeliveryClient.Started(answer)), e => DeliveryClient.Status(e) == "SUCCEEDED");
        // The stage context says why when an expression failed (expressionEvaluationSummary: a timeout on a loaded machine ...).
        var context = execution["stages"]![0]!["context"]!;
        Assert.True(context["comments"]!.GetValue<string>() == "deploying v1.2.3", $"The stage context: {context.ToJsonString()}");
    }

    [Fact]
    public async Task A_push_of_latest_or_of_another_repository_or_account_starts_nothing()
    {
        var app = DeliveryClient.Unique("app");
        var repository = await SaveAsync(app, $"org/{app}");

        var latest = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/docker/my-registry", Envelope(repository, "latest", "sha256:l"), RegistryEvents));
        var other = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/docker/my-registry", Envelope("org/other", "v1.0.0", "sha256:o"), RegistryEvents));
        var account = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/docker/elsewhere", Envelope(repository, "v1.0.0", "sha256:a"), RegistryEvents));

        Assert.Empty(latest["executions"]!.AsArray());
        Assert.Empty(other["executions"]!.AsArray());
        Assert.Empty(account["executions"]!.AsArray());
        Assert.Empty(await client.ExecutionsOfAsync(app));
    }

    [Fact]
    public async Task The_same_digest_and_tag_pushed_twice_starts_one_execution()
    {
        var app = DeliveryClient.Unique("app");
        var repository = await SaveAsync(app, $"org/{app}");

        await client.PostAsync("/webhooks/docker/my-registry", Envelope(repository, "v2.0.0", "sha256:same"), RegistryEvents);
        var again = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/docker/my-registry", Envelope(repository, "v2.0.0", "sha256:same"), RegistryEvents));

        Assert.Empty(DeliveryClient.Started(again));
        Assert.True(again["executions"]![0]!["duplicate"]!.GetValue<bool>());
        Assert.Single(await client.ExecutionsOfAsync(app));
    }

    private static string DockerHubBody(string app, string repository, string tag) => $$"""
        {"callback_url":"https://registry.hub.docker.com/u/org/app/hook/1/","push_data":{"pushed_at":1764410000,"pusher":"ci","tag":"{{tag}}"},
         "repository":{"repo_name":"{{repository}}","name":"{{app}}","namespace":"org","status":"Active"} }
        """;

    [Fact]
    public async Task A_docker_hub_webhook_starts_the_pipeline()
    {
        var app = DeliveryClient.Unique("app");
        var repository = await SaveAsync(app, $"org/{app}", "");

        var answer = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/docker/my-registry", DockerHubBody(app, repository, "build-42")));

        var trigger = (await client.GetExecutionAsync(Assert.Single(DeliveryClient.Started(answer))))["trigger"]!;
        Assert.Equal("build-42", trigger["tag"]!.GetValue<string>());
        Assert.Equal(repository, trigger["repository"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_trigger_without_a_tag_pattern_takes_every_tag_but_latest_as_spinnaker_does()
    {
        var app = DeliveryClient.Unique("app");
        var repository = await SaveAsync(app, $"org/{app}", "");

        var latest = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/docker/my-registry", Envelope(repository, "latest", "sha256:l"), RegistryEvents));
        var other = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/docker/my-registry", Envelope(repository, "main-7", "sha256:m"), RegistryEvents));

        Assert.Empty(latest["executions"]!.AsArray());
        Assert.Single(DeliveryClient.Started(other));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"events":{"action":"push"}}""", "array")]
    [InlineData("""{"events":[{"action":"push","target":{"tag":"v1"}}]}""", "repository")]
    [InlineData("""{"hello":"world"}""", "neither")]
    public async Task A_malformed_body_is_a_400_problem(string body, string detail)
    {
        var response = await client.PostAsync("/webhooks/docker/my-registry", body, RegistryEvents);

        Assert.Contains(detail, await DeliveryClient.ProblemAsync(response, HttpStatusCode.BadRequest));
    }
}
