using System.Diagnostics;
using System.Text.Json.Nodes;
using Delivery.Echo.Tests.TestHost;

namespace Delivery.Echo.Tests.Endpoints;

/// <summary>The docker trigger fed by a real registry's notifications, for images pushed with skopeo.</summary>
public sealed class DockerRegistryTests(RegistryHost host) : IClassFixture<RegistryHost>
{
    private readonly DeliveryClient client = host.Client;

    [Fact]
    public async Task A_pushed_release_tag_starts_the_pipeline_with_the_tag_and_a_pushed_latest_starts_nothing()
    {
        var app = DeliveryClient.Unique("app");
        var repository = $"org/{app}";
        var pipeline = DeliveryClient.Pipeline(app, "deploy", new JsonObject
        {
            ["type"] = "docker", ["enabled"] = true, ["account"] = RegistryHost.Account,
            ["repository"] = repository, ["tag"] = @"^v\d+\.\d+\.\d+$",
        });
        pipeline["stages"]![0]!["comments"] = "deploying ${trigger.tag}";
        await client.SavePipelineAsync(pipeline);

        await host.Registry.PushAsync(repository, "latest");
        var digest = await host.Registry.PushAsync(repository, "v1.2.3");

        // The registry sends one endpoint's events in order, so once the v1.2.3 push has started the pipeline the
        // earlier push of latest has been delivered too.
        var execution = await WaitForFirstExecutionAsync(app);
        var trigger = execution["trigger"]!;
        Assert.Equal("docker", trigger["type"]!.GetValue<string>());
        Assert.Equal("v1.2.3", trigger["tag"]!.GetValue<string>());
        Assert.Equal(repository, trigger["repository"]!.GetValue<string>());
        Assert.Equal(digest, trigger["digest"]!.GetValue<string>());
        Assert.Equal(host.Registry.Host, trigger["registry"]!.GetValue<string>());
        Assert.Equal($"{host.Registry.Host}/{repository}@{digest}", trigger["artifacts"]![0]!["reference"]!.GetValue<string>());
        var done = await client.WaitForAsync(execution["id"]!.GetValue<string>(), e => DeliveryClient.Status(e) == "SUCCEEDED", TimeSpan.FromSeconds(30));
        // The stage context says why when an expression failed (expressionEvaluationSummary: a timeout on a loaded machine ...).
        var context = done["stages"]![0]!["context"]!;
        Assert.True(context["comments"]!.GetValue<string>() == "deploying v1.2.3", $"The stage context: {context.ToJsonString()}");
        Assert.Single(await client.ExecutionsOfAsync(app));
    }

    private async Task<JsonObject> WaitForFirstExecutionAsync(string app)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if ((await client.ExecutionsOfAsync(app)).LastOrDefault() is JsonObject first)
            {
                return first;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"No execution of {app} started within 60 s of the push; registry log:\n{host.Registry.Log}");
        return null!;
    }
}
