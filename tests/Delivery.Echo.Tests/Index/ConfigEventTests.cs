using System.Diagnostics;
using System.Text.Json.Nodes;
using Delivery.Contracts.Orchestration;
using Delivery.Echo.Index;
using Delivery.Echo.Tests.TestHost;
using Delivery.Echo.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Echo.Tests.Index;

/// <summary>
/// The trigger index follows the orchestrator's <c>PipelineConfigSaved</c> / <c>PipelineConfigDeleted</c> events:
/// the host's periodic rebuild is an hour apart here, so only the events can make a change live within seconds.
/// </summary>
public sealed class ConfigEventTests(ConfigEventTests.Host factory) : IClassFixture<ConfigEventTests.Host>
{
    public sealed class Host() : EchoFactory(new Dictionary<string, string?> { ["Delivery:Echo:IndexRefreshSeconds"] = "3600" });

    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);
    private readonly DeliveryClient client = factory.Client();
    private readonly TriggerIndex index = factory.Services.GetRequiredService<TriggerIndex>();

    private static JsonObject HookTrigger(string source) => new() { ["type"] = "webhook", ["enabled"] = true, ["source"] = source };

    /// <summary>Saves through gate only: unlike <see cref="DeliveryClient.SavePipelineAsync"/>, no rebuild follows.</summary>
    private async Task SaveAsync(JsonObject pipeline) =>
        await DeliveryClient.JsonAsync(await client.PostAsync("/pipelines", pipeline.ToJsonString()));

    private bool Indexed(string source) => index.OfType(WebhookTrigger.Type).Any(t => t.Field("source") == source);

    [Fact]
    public async Task A_saved_webhook_trigger_starts_its_pipeline_without_waiting_for_a_rebuild()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        await SaveAsync(DeliveryClient.Pipeline(app, "on-hook", HookTrigger(source)));

        var watch = Stopwatch.StartNew();
        IReadOnlyList<string> started = [];
        // Without an event id every call is a new event, so calls that came too early leave nothing behind.
        while (started.Count == 0 && watch.Elapsed < Soon)
        {
            started = DeliveryClient.Started(await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}", """{"ref":"main"}""")));
        }

        var id = Assert.Single(started);
        Assert.Equal(source, (await client.GetExecutionAsync(id))["trigger"]!["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_deleted_pipeline_is_no_longer_started_by_its_webhook()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        await SaveAsync(DeliveryClient.Pipeline(app, "on-hook", HookTrigger(source)));
        await WaitUntilAsync(() => Indexed(source), "the saved trigger to be indexed");

        Assert.True((await client.Http.DeleteAsync($"/pipelines/{app}/on-hook")).IsSuccessStatusCode);
        await WaitUntilAsync(() => !Indexed(source), "the deleted pipeline's trigger to leave the index");
        var answer = await DeliveryClient.JsonAsync(await client.PostAsync($"/webhooks/webhook/{source}", """{"ref":"main"}"""));

        Assert.Empty(answer["executions"]!.AsArray());
        Assert.Empty(await client.ExecutionsOfAsync(app));
    }

    [Fact]
    public async Task A_pipeline_saved_as_disabled_drops_its_triggers()
    {
        var app = DeliveryClient.Unique("app");
        var source = DeliveryClient.Unique("src");
        var pipeline = DeliveryClient.Pipeline(app, "on-hook", HookTrigger(source));
        await SaveAsync(pipeline);
        await WaitUntilAsync(() => Indexed(source), "the saved trigger to be indexed");

        pipeline["disabled"] = true;
        await SaveAsync(pipeline);

        await WaitUntilAsync(() => !Indexed(source), "the disabled pipeline's trigger to leave the index");
    }

    [Fact]
    public async Task Config_events_consumed_out_of_order_never_replace_or_remove_a_later_save()
    {
        var app = DeliveryClient.Unique("app");
        var id = Guid.NewGuid().ToString();
        PipelineConfigSaved Saved(string source, long time)
        {
            var config = DeliveryClient.Pipeline(app, "on-hook", HookTrigger(source));
            config["id"] = id;
            config["updateTs"] = time.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new PipelineConfigSaved(app, id, "on-hook", config.ToJsonString(), time);
        }
        var newer = DeliveryClient.Unique("src");
        var older = DeliveryClient.Unique("src");

        await index.ApplyAsync(Saved(newer, 2_000));
        await index.ApplyAsync(Saved(older, 1_000));
        await index.ApplyAsync(new PipelineConfigDeleted(app, id, "on-hook", 1_500));

        Assert.True(Indexed(newer));
        Assert.False(Indexed(older));

        await index.ApplyAsync(new PipelineConfigDeleted(app, id, "on-hook", 3_000));

        Assert.False(Indexed(newer));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Soon, $"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
