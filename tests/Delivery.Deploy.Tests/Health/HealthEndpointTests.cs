using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Delivery.Deploy.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Delivery.Deploy.Tests.Health;

/// <summary>
/// Gate's own host (as every host, through the service defaults) against a real redis-server: <c>/alive</c>
/// checks nothing but the process, <c>/health</c> is ready only while Redis answers and the bus runs.
/// </summary>
public sealed class HealthEndpointTests : IAsyncLifetime
{
    private readonly int _redisPort = Repository.FreePorts(1)[0];
    private Process _redis = null!;
    private WebApplicationFactory<Program> _gate = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _redis = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", _redisPort.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"])
        { RedirectStandardOutput = true })!;
        _gate = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Delivery:Bus:Transport", "InMemory");
            b.UseSetting("Delivery:Store:Kind", "Redis");
            b.UseSetting("Delivery:Store:Redis", $"127.0.0.1:{_redisPort},connectTimeout=1000");
            b.UseSetting("Delivery:Store:KeyPrefix", $"health-{Guid.NewGuid():N}:");
            b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        });
        _http = _gate.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gate.DisposeAsync();
        if (!_redis.HasExited)
        {
            _redis.Kill();
        }
        _redis.Dispose();
    }

    [Fact]
    public async Task Health_follows_redis_and_the_bus_while_alive_depends_on_nothing()
    {
        var (status, ready) = await WaitForAsync("/health", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", ready["status"]!.GetValue<string>());
        Assert.Equal("Healthy", ready["checks"]!["redis"]!["status"]!.GetValue<string>());
        Assert.Contains(ready["checks"]!.AsObject(), c => c.Key.StartsWith("masstransit", StringComparison.Ordinal));

        var (aliveStatus, alive) = await GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, aliveStatus);
        Assert.Equal(["self"], alive["checks"]!.AsObject().Select(c => c.Key));

        _redis.Kill();
        await _redis.WaitForExitAsync();
        var (downStatus, down) = await WaitForAsync("/health", HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, downStatus);
        Assert.Equal("Unhealthy", down["checks"]!["redis"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/alive")).Status);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> WaitForAsync(string path, HttpStatusCode wanted)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var answer = await GetAsync(path);
            if (answer.Status == wanted || watch.Elapsed > TimeSpan.FromSeconds(20))
            {
                return answer;
            }
            await Task.Delay(100);
        }
    }
}
