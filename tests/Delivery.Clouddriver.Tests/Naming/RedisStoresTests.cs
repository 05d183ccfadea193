using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Delivery.Clouddriver.Naming;
using Delivery.Clouddriver.Operations;
using Delivery.Contracts.Clouddriver;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Clouddriver.Tests.Naming;

/// <summary>The Redis stores against a real redis-server started on a private loopback port.</summary>
public sealed class RedisStoresTests : IAsyncLifetime
{
    private Process? _server;
    private ConnectionMultiplexer? _redis;

    public async Task InitializeAsync()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        _server = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
        })!;
        _server.BeginOutputReadLine();
        // A loaded machine may take a while to start it: wait until it accepts connections.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port}");
        options.AbortOnConnectFail = false;
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        for (var i = 0; i < 400 && !_redis.IsConnected; i++)
        {
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.CloseAsync();
            _redis.Dispose();
        }
        _server?.Kill();
        _server?.Dispose();
    }

    private ClouddriverRedisKeys Keys(string prefix) => new(Options.Create(new DeliveryStoreOptions { KeyPrefix = prefix }));

    [Fact]
    public async Task Sequences_are_shared_by_replicas_never_repeat_and_live_under_the_clouddriver_prefix()
    {
        var replicaA = new RedisSequenceStore(_redis!, Keys("delivery:"));
        var replicaB = new RedisSequenceStore(_redis!, Keys("delivery:"));
        var handedOut = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? replicaA : replicaB).NextAsync("local", "app-prod", default)));
        Assert.Equal(Enumerable.Range(0, 40), handedOut.Order());
        Assert.Equal(0, await replicaA.NextAsync("local", "app-test", default));
        Assert.Equal("40", (string?)await _redis!.GetDatabase().StringGetAsync("delivery:clouddriver:sequence:local:app-prod"));
    }

    [Fact]
    public async Task Operation_results_are_found_by_id_until_they_expire()
    {
        var log = new RedisOperationLog(_redis!, Keys("delivery:"));
        var completed = new OperationCompleted("op-1", "exec", "stage", "task", true, null, """{"serverGroupName":"app-v000"}""");
        Assert.Null(await log.FindAsync("op-1", default));
        await log.SaveAsync(completed, TimeSpan.FromMinutes(5), default);
        Assert.Equal(completed, await log.FindAsync("op-1", default));
        var ttl = await _redis!.GetDatabase().KeyTimeToLiveAsync("delivery:clouddriver:operation:op-1");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }
}
