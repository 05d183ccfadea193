using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using Delivery.Contracts.Clouddriver;
using Delivery.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delivery.Clouddriver.Tests.TestHost;

/// <summary>
/// A real clouddriver host (Kestrel on a private 127.0.0.1 port, in-memory bus and stores) built the
/// way Delivery.Clouddriver.Host builds it, with its own state directory; it records every
/// <see cref="OperationCompleted"/> it publishes.
/// </summary>
public sealed class ClouddriverHost : IAsyncDisposable
{
    private ClouddriverHost(WebApplication app, string stateDirectory)
    {
        App = app;
        StateDirectory = stateDirectory;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(90) };
    }

    public WebApplication App { get; }

    public string StateDirectory { get; }

    public HttpClient Http { get; }

    public OperationRecorder Completed => App.Services.GetRequiredService<OperationRecorder>();

    /// <summary>The sample app's dll, built with this test project.</summary>
    public static string HelloDll { get; } = Path.GetFullPath(typeof(ClouddriverHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HelloDll").Value!);

    public static async Task<ClouddriverHost> StartAsync(string? stateDirectory = null, IDictionary<string, string?>? settings = null)
    {
        stateDirectory ??= Path.Combine(Path.GetTempPath(), "delivery-clouddriver-tests", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Delivery:Bus:Transport"] = "InMemory",
            ["Delivery:Store:Kind"] = "InMemory",
            ["Delivery:Clouddriver:Local:StateDirectory"] = stateDirectory,
            ["Delivery:Clouddriver:Local:InstanceStartupTimeoutSeconds"] = "60",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.AddServiceDefaults();
        builder.AddClouddriver();
        builder.Services.AddSingleton<OperationRecorder>();
        builder.Services.AddDeliveryConsumers(x => x.AddConsumer<OperationRecorder.Consumer>().Endpoint(e => e.Name = "clouddriver-tests-operation-completed"));
        builder.AddDeliveryBus();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapClouddriver();
        await app.StartAsync();
        return new ClouddriverHost(app, stateDirectory);
    }

    /// <summary>Runs an operation through <c>POST /clouddriver/ops/{type}</c>; returns the status and the JSON body.</summary>
    public async Task<(int Status, JsonObject Body, string? ContentType)> OpAsync(string type, JsonObject body)
    {
        using var response = await Http.PostAsJsonAsync($"/clouddriver/ops/{type}", body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Runs an operation that must succeed; returns its result object.</summary>
    public async Task<JsonObject> OkAsync(string type, JsonObject body)
    {
        var (status, reply, _) = await OpAsync(type, body);
        Assert.True(status == 200, $"{type} answered {status}: {reply.ToJsonString()}");
        Assert.True(reply["succeeded"]!.GetValue<bool>());
        return JsonNode.Parse(reply["resultJson"]!.GetValue<string>())!.AsObject();
    }

    public async Task<JsonArray> GetArrayAsync(string path)
    {
        var text = await Http.GetStringAsync(path);
        return JsonNode.Parse(text)!.AsArray();
    }

    public async Task<JsonObject> ServerGroupAsync(string application, string name) =>
        (await GetArrayAsync($"/applications/{application}/serverGroups")).Select(g => g!.AsObject()).Single(g => g["name"]!.GetValue<string>() == name);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
