using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>
/// A real redis-server on a free port of 127.0.0.1, with an append-only file fsynced on every write
/// in a private directory, so that it can be killed and started again on the same port and data.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private ChildProcess? _process;
    private ConnectionMultiplexer? _connection;
    private string _binary = "";

    public int Port { get; private set; }

    public string DataDirectory { get; private set; } = "";

    /// <summary>The StackExchange.Redis configuration string (<c>Delivery:Store:Redis</c>).</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>A connection shared by in-process tests.</summary>
    public ConnectionMultiplexer Connection => _connection ??= Connect();

    public async Task InitializeAsync()
    {
        _binary = Machine.Require("redis-server", "/usr/bin/redis-server");
        Port = Machine.FreePort();
        DataDirectory = Machine.TempDirectory("redis");
        await StartAsync();
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewKeyPrefix() => $"it-{Guid.NewGuid():N}:";

    /// <summary>
    /// Closes a connection without waiting: StackExchange.Redis 1.2.6's Dispose can block for its
    /// 5 s sync timeout, which would stall a test in the middle of a timed scenario.
    /// </summary>
    public static void Close(ConnectionMultiplexer connection) => connection.Close(allowCommandsToComplete: false);

    public ConnectionMultiplexer Connect()
    {
        var options = ConfigurationOptions.Parse(Configuration);
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 5;
        options.SyncTimeout = 5000;
        return ConnectionMultiplexer.Connect(options);
    }

    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("redis-server is running already.");
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        _process = ChildProcess.Start(_binary,
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", DataDirectory, "--daemonize", "no"],
            new Dictionary<string, string?>(), Path.Combine(DataDirectory, "redis-server.log"), DataDirectory);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited at start:\n{_process.Tail()}");
            }
            if (await PingAsync())
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"redis-server on port {Port} did not answer PING within 30 s:\n{_process.Tail()}");
    }

    /// <summary>Kills the server (SIGKILL: with appendfsync always, every acknowledged write is on disk).</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }
        _process.Kill();
        if (!await _process.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("redis-server did not exit after SIGKILL.");
        }
    }

    /// <summary>Stops the server, waits <paramref name="downtime"/> and starts it again on the same port and append-only file.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        await StopAsync();
        await Task.Delay(downtime);
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            Close(_connection);
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        Machine.DeleteDirectory(DataDirectory);
    }

    /// <summary>True when the server answers PONG (not LOADING, as it does while it reads the append-only file).</summary>
    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cts.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, cts.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
