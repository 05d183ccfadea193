using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Clouddriver.Tests.TestHost;

/// <summary>A real redis-server on a private loopback port, started for a test class and stopped after it.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _server;

    public ConnectionMultiplexer Redis { get; private set; } = null!;

    public int Port { get; private set; }

    /// <summary>The <c>Delivery:Store:Redis</c> setting that reaches it.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        _server = Process.Start(new ProcessStartInfo("redis-server", ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
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
                await client.ConnectAsync(IPAddress.Loopback, Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        var options = ConfigurationOptions.Parse(Configuration);
        options.AbortOnConnectFail = false;
        Redis = await ConnectionMultiplexer.ConnectAsync(options);
        for (var i = 0; i < 400 && !Redis.IsConnected; i++)
        {
            await Task.Delay(50);
        }
    }

    public static ClouddriverRedisKeys Keys(string prefix) => new(Options.Create(new DeliveryStoreOptions { KeyPrefix = prefix }));

    public async Task DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.CloseAsync();
            Redis.Dispose();
        }
        _server?.Kill();
        _server?.Dispose();
    }
}
