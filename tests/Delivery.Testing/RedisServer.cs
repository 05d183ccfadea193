using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace Delivery.Testing;

/// <summary>
/// A real redis-server (Debian's <c>redis-server</c>) on a private port of 127.0.0.1 with its own data directory,
/// for a test class or collection (<c>IClassFixture</c>/<c>ICollectionFixture</c>). When
/// <see cref="InitializeAsync"/> returns it answers <c>PING</c> with <c>PONG</c> at <see cref="Configuration"/>.
/// It can be killed and started again on the same port (<see cref="StopAsync"/>, <see cref="StartAsync"/>); what
/// survives that depends on the persistence the constructor chose. <see cref="DisposeAsync"/> kills it and deletes
/// its directory.
/// </summary>
public class RedisServer : IAsyncLifetime
{
    private readonly bool _appendOnly;
    private readonly Lazy<ConnectionMultiplexer> _connection;
    private ChildProcess? _process;
    private string _binary = "";

    /// <summary>A server without persistence (no RDB snapshots, no append-only file): a restart empties it.</summary>
    public RedisServer()
        : this(appendOnly: false)
    {
    }

    /// <summary>
    /// A server with an append-only file fsynced on every write when <paramref name="appendOnly"/> is true, so that
    /// every acknowledged write survives a kill and restart; without persistence otherwise.
    /// </summary>
    protected RedisServer(bool appendOnly)
    {
        _appendOnly = appendOnly;
        _connection = new Lazy<ConnectionMultiplexer>(Connect);
    }

    /// <summary>The port of 127.0.0.1 it listens on; the same across restarts.</summary>
    public int Port { get; private set; }

    /// <summary>Its private directory: the append-only file (if any) and <c>redis-server.log</c>.</summary>
    public string DataDirectory { get; private set; } = "";

    /// <summary>The StackExchange.Redis configuration string that reaches it (<c>Delivery:Store:Redis</c>).</summary>
    public string Configuration => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A connection shared by the tests of the fixture (made on first use, closed by <see cref="DisposeAsync"/>).</summary>
    public ConnectionMultiplexer Connection => _connection.Value;

    /// <summary>A key prefix no other test uses, so tests sharing a server do not see each other's keys.</summary>
    public static string NewKeyPrefix() => $"it-{Guid.NewGuid():N}:";

    /// <summary>
    /// Closes a connection without waiting for commands in flight, so that closing it cannot stall a test in the
    /// middle of a timed scenario.
    /// </summary>
    public static void Close(ConnectionMultiplexer connection) => connection.Close(allowCommandsToComplete: false);

    /// <summary>
    /// A new connection of the caller's own (close it with <see cref="Close"/>); it does not give up while the
    /// server is down, and reconnects once it is back.
    /// </summary>
    public ConnectionMultiplexer Connect()
    {
        var options = ConfigurationOptions.Parse(Configuration);
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 5;
        options.SyncTimeout = 5000;
        return ConnectionMultiplexer.Connect(options);
    }

    /// <summary>Finds the binary, takes a free port and a new directory, and starts the server (see <see cref="StartAsync"/>).</summary>
    /// <exception cref="InvalidOperationException">redis-server is not installed, or exited at start.</exception>
    /// <exception cref="TimeoutException">It did not answer PONG within 30 s.</exception>
    public async Task InitializeAsync()
    {
        _binary = Machine.Require("redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server");
        Port = Machine.FreePort();
        DataDirectory = Machine.TempDirectory("redis");
        await StartAsync();
    }

    /// <summary>
    /// Starts the server on <see cref="Port"/> and <see cref="DataDirectory"/>; returns once it answers PONG (not
    /// LOADING, as it does while it reads the append-only file).
    /// </summary>
    /// <exception cref="InvalidOperationException">It runs already, or exited at start (the message has its last lines).</exception>
    /// <exception cref="TimeoutException">It did not answer PONG within 30 s.</exception>
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
        string[] persistence = _appendOnly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
        _process = ChildProcess.Start(_binary,
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", .. persistence,
             "--dir", DataDirectory, "--daemonize", "no"],
            new Dictionary<string, string?>(), Path.Combine(DataDirectory, "redis-server.log"), DataDirectory);
        await _process.WaitUntilReadyAsync($"redis-server on port {Port}", PingAsync, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
    }

    /// <summary>Kills the server with SIGKILL (with the append-only file, every acknowledged write is on disk).</summary>
    /// <exception cref="TimeoutException">It had not exited 10 s after the signal.</exception>
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

    /// <summary>Kills the server, waits <paramref name="downtime"/> and starts it again on the same port and directory.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        await StopAsync();
        await Task.Delay(downtime);
        await StartAsync();
    }

    /// <summary>Closes the shared connection, kills the server and deletes its directory.</summary>
    public async Task DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            Close(_connection.Value);
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        Machine.DeleteDirectory(DataDirectory);
    }

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
