using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Echo.Tests.TestHost;

namespace Delivery.Echo.Tests.Endpoints;

public sealed class WebhookTriggerTests(EchoFactory factory) : IClassFixture<EchoFactory>
{
    private readonly DeliveryClient client = factory.Client();

    private static JsonObject Webhook(string source, JsonObject? constraints = null) => new()
    {
        ["type"] = "webhook", ["enabled"] = true, ["source"] = source, ["payloadConstraints"] = constraints ?? [],
    };

    [Fact]
    public async Task A_matching_call_starts_the_pipeline_with_its_payload_and_parameters()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", Webhook(source, new JsonObject { ["branch"] = "main|release-.*" })));

        var answer = await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}",
            """{"branch":"release-2","parameters":{"version":"1.4"}}"""));

        Assert.True(answer["eventProcessed"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(answer["eventId"]!.GetValue<string>()));
        var id = Assert.Single(DeliveryClient.Started(answer));
        var execution = await client.WaitForAsync(id, e => DeliveryClient.Status(e) == "SUCCEEDED");
        var trigger = execution["trigger"]!;
        Assert.Equal("webhook", trigger["type"]!.GetValue<string>());
        Assert.Equal(source, trigger["source"]!.GetValue<string>());
        Assert.Equal("1.4", trigger["parameters"]!["version"]!.GetValue<string>());
        Assert.Equal("release-2", trigger["payload"]!["branch"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(trigger["eventId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_payload_that_breaks_a_constraint_or_names_another_source_starts_nothing()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        // An anchored pattern, and a key that must only be present (an empty constraint), as in Spinnaker.
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", Webhook(source, new JsonObject { ["branch"] = "^main$", ["sha"] = "" })));

        var partial = await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}", """{"branch":"mainline","sha":"a1"}"""));
        var missing = await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}", """{"other":"main","sha":"a1"}"""));
        var noSha = await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}", """{"branch":"main","sha":null}"""));
        var elsewhere = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/webhook/another-source", """{"branch":"main","sha":"a1"}"""));

        Assert.Empty(partial["executions"]!.AsArray());
        Assert.Empty(missing["executions"]!.AsArray());
        Assert.Empty(noSha["executions"]!.AsArray());
        Assert.Empty(elsewhere["executions"]!.AsArray());
        Assert.Empty(await client.ExecutionsOfAsync(app));
    }

    [Fact]
    public async Task A_constraint_is_found_anywhere_in_the_value_unless_anchored_as_in_spinnaker()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", Webhook(source, new JsonObject { ["ref"] = "heads/release" })));

        var answer = await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}", """{"ref":"refs/heads/release-3"}"""));

        Assert.Single(DeliveryClient.Started(answer));
    }

    [Fact]
    public async Task Artifacts_in_the_payload_become_the_trigger_artifacts()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", Webhook(source)));
        var body = """{"artifacts":[{"type":"docker/image","name":"registry.local/org/app","version":"v3","reference":"registry.local/org/app:v3"}]}""";

        var answer = await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}", body));

        var trigger = (await client.GetExecutionAsync(Assert.Single(DeliveryClient.Started(answer))))["trigger"]!;
        var artifact = Assert.Single(trigger["artifacts"]!.AsArray())!;
        Assert.Equal("docker/image", artifact["type"]!.GetValue<string>());
        Assert.Equal("registry.local/org/app:v3", artifact["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_disabled_trigger_starts_nothing()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        var trigger = Webhook(source);
        trigger["enabled"] = false;
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", trigger));

        var answer = await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}", "{}"));

        Assert.Empty(answer["executions"]!.AsArray());
    }

    [Fact]
    public async Task Duplicate_deliveries_of_one_event_id_start_one_execution()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", Webhook(source)));
        var headers = new Dictionary<string, string> { ["X-Event-Id"] = Guid.NewGuid().ToString() };

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}", "{}", headers: headers))));

        var started = answers.SelectMany(DeliveryClient.Started).ToList();
        Assert.Single(started);
        Assert.Single(await client.ExecutionsOfAsync(app));
        // Every copy names the same event; the later ones say they were duplicates.
        Assert.All(answers, a => Assert.Equal(headers["X-Event-Id"], a["eventId"]!.GetValue<string>()));
        Assert.Equal(3, answers.Count(a => a["executions"]![0]!["duplicate"]?.GetValue<bool>() == true));
    }

    [Fact]
    public async Task A_source_with_a_secret_refuses_unsigned_and_wrongly_signed_calls_and_takes_signed_ones()
    {
        var app = DeliveryClient.Unique("app");
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", Webhook("signed")));
        const string body = """{"parameters":{"x":"1"}}""";

        var unsigned = await client.PostAsync("/webhooks/webhook/signed", body);
        var wrong = await client.PostAsync("/webhooks/webhook/signed", body,
            headers: new Dictionary<string, string> { ["X-Hub-Signature-256"] = Sign("another secret", body) });
        var tampered = await client.PostAsync("/webhooks/webhook/signed", body.Replace("1", "2", StringComparison.Ordinal),
            headers: new Dictionary<string, string> { ["X-Hub-Signature-256"] = Sign(EchoFactory.WebhookSecret, body) });

        Assert.Contains("X-Hub-Signature-256", await DeliveryClient.ProblemAsync(unsigned, HttpStatusCode.Unauthorized));
        await DeliveryClient.ProblemAsync(wrong, HttpStatusCode.Unauthorized);
        await DeliveryClient.ProblemAsync(tampered, HttpStatusCode.Unauthorized);
        Assert.Empty(await client.ExecutionsOfAsync(app));

        var signed = await DeliveryClient.JsonAsync(await client.PostAsync("/webhooks/webhook/signed", body,
            headers: new Dictionary<string, string> { ["X-Hub-Signature-256"] = Sign(EchoFactory.WebhookSecret, body) }));
        Assert.Single(DeliveryClient.Started(signed));
    }

    [Fact]
    public async Task A_payload_over_the_body_limit_gets_413_and_a_call_in_flight_still_starts_its_pipeline()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        await client.SavePipelineAsync(DeliveryClient.Pipeline(app, "deploy", Webhook(source)));
        var large = $$"""{"blob":"{{new string('x', 5000)}}"}""";

        var results = await Task.WhenAll(
            client.PostAsync($"/webhooks/webhook/{source}", large),
            client.PostAsync($"/webhooks/webhook/{source}", "{}"),
            client.PostAsync($"/webhooks/webhook/{source}", "[1,2]"));

        Assert.Contains("4096", await DeliveryClient.ProblemAsync(results[0], HttpStatusCode.RequestEntityTooLarge));
        Assert.Single(DeliveryClient.Started(await DeliveryClient.JsonAsync(results[1])));
        Assert.Contains("JSON object", await DeliveryClient.ProblemAsync(results[2], HttpStatusCode.BadRequest));
        Assert.Single(await client.ExecutionsOfAsync(app));
    }

    internal static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
