using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Delivery.CanaryJudge.Tests.TestHost;

/// <summary>A real redis-server (Debian's <c>redis-server</c>) on a free port of 127.0.0.1, without persistence, stopped by its process id.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private Process? _server;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server was not found; install it: apt-get install -y redis-server");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _server = Process.Start(new ProcessStartInfo(binary)
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
                await Redis.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (watch.Elapsed < TimeSpan.FromSeconds(30) && !_server.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    public async Task DisposeAsync()
    {
        Redis?.Dispose();
        if (_server is { HasExited: false })
        {
            _server.Kill();
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
    }
}
