using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delivery.Echo.Tests.TestHost;

/// <summary>
/// An HTTP server on 127.0.0.1 standing in for Slack's Web API (which cannot be reached from here) and for
/// webhook receivers. It records every call and answers as Slack's documentation says: HTTP 200 with
/// <c>{"ok": true, ...}</c>, or <c>{"ok": false, "error": ...}</c> for a bad token (<c>invalid_auth</c>) or an
/// unknown channel (<c>channel_not_found</c>). <c>/hook/fail</c> always answers 500.
/// </summary>
public sealed class SlackDouble : IAsyncDisposable
{
    public const string Token = "xoxb-test-token";
    public const string MissingChannel = "#missing";

    private readonly WebApplication app;

    public ConcurrentQueue<(string Path, JsonObject Body)> Calls { get; } = new();

    public string BaseUrl { get; }

    private SlackDouble(WebApplication app, string baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<SlackDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        SlackDouble? self = null;
        app.MapPost("/api/chat.postMessage", async (HttpContext http) => await AnswerAsync(self!, http, body =>
            body["channel"]?.GetValue<string>() == MissingChannel
                ? new JsonObject { ["ok"] = false, ["error"] = "channel_not_found" }
                : new JsonObject { ["ok"] = true, ["channel"] = "C0DEPLOYS", ["ts"] = $"1764410000.{self!.Calls.Count:D6}", ["message"] = body.DeepClone() }));
        app.MapPost("/api/chat.update", async (HttpContext http) => await AnswerAsync(self!, http, body =>
            new JsonObject { ["ok"] = true, ["channel"] = body["channel"]?.DeepClone(), ["ts"] = body["ts"]?.DeepClone(), ["text"] = body["text"]?.DeepClone() }));
        app.MapGet("/api/users.info", async (HttpContext http, string user) => await AnswerAsync(self!, http, _ =>
            new JsonObject { ["ok"] = true, ["user"] = new JsonObject { ["id"] = user, ["name"] = "jane", ["profile"] = new JsonObject { ["email"] = "jane@example.com" } } }));
        app.MapPost("/hook/{name}", async (HttpContext http, string name) =>
        {
            self!.Calls.Enqueue(($"/hook/{name}", (await JsonNode.ParseAsync(http.Request.Body))!.AsObject()));
            return name == "fail" ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new SlackDouble(app, address);
        return self;
    }

    /// <summary>Records the call and writes the answer (a handler taking only the HttpContext is a RequestDelegate, whose result would be dropped).</summary>
    private static async Task AnswerAsync(SlackDouble self, HttpContext http, Func<JsonObject, JsonObject> answer)
    {
        var text = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var body = text.Length > 0 ? JsonNode.Parse(text)!.AsObject() : [];
        self.Calls.Enqueue((http.Request.Path.Value!, body));
        var reply = http.Request.Headers.Authorization.ToString() != $"Bearer {Token}"
            ? new JsonObject { ["ok"] = false, ["error"] = "invalid_auth" }
            : answer(body);
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(reply.ToJsonString());
    }

    /// <summary>Waits for a recorded call to <paramref name="path"/> that meets <paramref name="condition"/>.</summary>
    public async Task<JsonObject> WaitForAsync(string path, Func<JsonObject, bool> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(15)))
        {
            if (Calls.FirstOrDefault(c => c.Path == path && condition(c.Body)) is { Body: { } found })
            {
                return found;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"No call to {path} as expected; calls: {string.Join("\n", Calls.Select(c => $"{c.Path} {c.Body.ToJsonString()}"))}");
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
