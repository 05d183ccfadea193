using System.Net;
using System.Text.Json.Nodes;
using Delivery.Echo.Tests.TestHost;

namespace Delivery.Echo.Tests.Endpoints;

public sealed class JenkinsTriggerTests(EchoFactory factory) : IClassFixture<EchoFactory>
{
    private readonly DeliveryClient client = factory.Client();

    private async Task<string> SaveAsync(string app)
    {
        var job = $"build-{app}";
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", new JsonObject
        {
            ["type"] = "jenkins", ["enabled"] = true, ["master"] = "ci", ["job"] = job,
        }));
        return job;
    }

    /// <summary>A body as the Jenkins Notification plugin posts it.</summary>
    private static string Notification(string job, int number, string phase, string? status) => $$"""
        {"name":"{{job}}","url":"job/{{job}}/","build":{"full_url":"http://jenkins.local/job/{{job}}/{{number}}/","number":{{number}},
         "queue_id":7,"phase":"{{phase}}","timestamp":1764410000000{{(status is null ? "" : $",\"status\":\"{status}\"")}},"url":"job/{{job}}/{{number}}/",
         "scm":{"url":"https://git.local/app.git","branch":"origin/main","commit":"0a1b2c"},"parameters":{"VERSION":"1.0"} } }
        """;

    [Fact]
    public async Task A_successful_build_of_the_job_starts_the_pipeline_with_the_build_info()
    {
        var app = DeliveryClient.Unique("app");
        var job = await SaveAsync(app);

        var started = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/jenkins/ci", Notification(job, 42, "STARTED", null)));
        var completed = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/jenkins/ci", Notification(job, 42, "COMPLETED", "SUCCESS")));
        var finalized = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/jenkins/ci", Notification(job, 42, "FINALIZED", "SUCCESS")));

        Assert.Empty(started["executions"]!.AsArray());
        Assert.Empty(DeliveryClient.Started(finalized));
        var trigger = (await client.GetExecutionAsync(Assert.Single(DeliveryClient.Started(completed))))["trigger"]!;
        Assert.Equal("jenkins", trigger["type"]!.GetValue<string>());
        Assert.Equal(42, trigger["buildNumber"]!.GetValue<long>());
        Assert.Equal(42, trigger["buildInfo"]!["number"]!.GetValue<long>());
        Assert.Equal("SUCCESS", trigger["buildInfo"]!["result"]!.GetValue<string>());
        Assert.Equal("0a1b2c", trigger["buildInfo"]!["scm"]![0]!["commit"]!.GetValue<string>());
        Assert.Equal($"http://jenkins.local/job/{job}/42/", trigger["buildInfo"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_build_or_another_job_or_master_starts_nothing()
    {
        var app = DeliveryClient.Unique("app");
        var job = await SaveAsync(app);

        var failed = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/jenkins/ci", Notification(job, 1, "COMPLETED", "FAILURE")));
        var other = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/jenkins/ci", Notification("another-job", 2, "COMPLETED", "SUCCESS")));
        var master = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/jenkins/other-ci", Notification(job, 3, "COMPLETED", "SUCCESS")));

        Assert.Empty(failed["executions"]!.AsArray());
        Assert.Empty(other["executions"]!.AsArray());
        Assert.Empty(master["executions"]!.AsArray());
        Assert.Empty(await client.ExecutionsOfAsync(app));
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"build":{"number":1,"phase":"COMPLETED"}}""", "'name'")]
    [InlineData("""{"name":"job","build":{"number":"one","phase":"COMPLETED"}}""", "build.number")]
    [InlineData("""{"name":"job"}""", "'build'")]
    public async Task A_malformed_body_is_a_400_problem(string body, string detail)
    {
        var response = await client.PostAsync("/webhooks/jenkins/ci", body);

        Assert.Contains(detail, await DeliveryClient.ProblemAsync(response, HttpStatusCode.BadRequest));
    }
}
