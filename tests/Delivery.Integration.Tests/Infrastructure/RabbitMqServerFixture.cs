using System.Globalization;

namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>
/// A real RabbitMQ node on free ports of 127.0.0.1: its own node name, Erlang cookie ($HOME),
/// epmd port, data and log directories, no plugins. A test may restart it in place
/// (<see cref="RestartAsync"/>). Stopped with <c>rabbitmqctl stop</c>, then its process tree and its
/// epmd are killed, so nothing is left to disturb the next run.
/// </summary>
public sealed class RabbitMqServerFixture : IAsyncLifetime
{
    private ChildProcess? _process;
    private string _server = "";
    private string _ctl = "";
    private Dictionary<string, string?> _environment = [];

    public int Port { get; private set; }

    public string NodeName { get; private set; } = "";

    public string Directory { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = Machine.Require("rabbitmq-server", "/usr/lib/rabbitmq/bin/rabbitmq-server");
        _ctl = Machine.Require("rabbitmqctl", "/usr/lib/rabbitmq/bin/rabbitmqctl");
        Machine.Require("erl", "/usr/bin/erl");
        var ports = Machine.FreePorts(3);
        Port = ports[0];
        NodeName = $"delivery-test-{Guid.NewGuid().ToString("N")[..12]}@localhost";
        Directory = Machine.TempDirectory("rabbitmq");
        File.WriteAllText(Path.Combine(Directory, "enabled_plugins"), "[].\n");
        File.WriteAllText(Path.Combine(Directory, "rabbitmq-env.conf"), "");
        _environment = new Dictionary<string, string?>
        {
            // The Erlang cookie lives in $HOME: a private one for the node and for rabbitmqctl.
            ["HOME"] = Directory,
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = ports[1].ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_PORT"] = ports[2].ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(Directory, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Directory, "enabled_plugins"),
            // Never read the machine's /etc/rabbitmq files: they could name other ports or plugins.
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(Directory, "rabbitmq-env.conf"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(Directory, "rabbitmq"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(Directory, "advanced.config"),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        };

        await StartNodeAsync();
    }

    /// <summary>
    /// Stops the node with <c>rabbitmqctl stop</c> (a clean shutdown: durable queues and persistent
    /// messages are kept on disk), waits <paramref name="downtime"/>, then starts the same node on the
    /// same ports and data directory and waits until it has booted. Clients see their connections drop
    /// and must reconnect. Returns false when rabbitmqctl could not stop the node and it was killed instead.
    /// </summary>
    public async Task<bool> RestartAsync(TimeSpan downtime)
    {
        var (exit, output) = await ChildProcess.RunAsync(_ctl, ["-n", NodeName, "stop"], _environment, TimeSpan.FromSeconds(90));
        if (_process is not null)
        {
            // On a starved machine rabbitmqctl itself can time out: the node is then killed, which it survives as a crash
            // (durable queues and confirmed persistent messages are on disk).
            if (!await _process.WaitForExitAsync(TimeSpan.FromSeconds(exit == 0 ? 30 : 0)))
            {
                _process.Kill();
                if (!await _process.WaitForExitAsync(TimeSpan.FromSeconds(30)))
                {
                    throw new TimeoutException($"rabbitmq-server survived rabbitmqctl stop ({exit}: {output}) and SIGKILL:\n{_process.Tail()}");
                }
            }
            await _process.DisposeAsync();
            _process = null;
        }
        await Task.Delay(downtime);
        await StartNodeAsync();
        return exit == 0;
    }

    private async Task StartNodeAsync()
    {
        _process = ChildProcess.Start(_server, [], _environment, Path.Combine(Directory, "rabbitmq-server.log"), Directory);
        await _process.WaitUntilReadyAsync($"rabbitmq-server on port {Port}", () => Machine.AcceptsConnectionsAsync(Port),
            TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(100));
        await CtlAsync("await_startup", "--timeout", "60");
    }

    /// <summary>Runs <c>rabbitmqctl -n NODE ARGS</c>; fails with its output when it fails.</summary>
    public async Task<string> CtlAsync(params string[] arguments)
    {
        var (exit, output) = await ChildProcess.RunAsync(_ctl, ["-n", NodeName, .. arguments], _environment, TimeSpan.FromSeconds(90));
        if (exit != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({exit}):\n{output}");
        }
        return output;
    }

    /// <summary>A new virtual host that guest may use, so a test's queues and exchanges are its own.</summary>
    public async Task<string> CreateVirtualHostAsync()
    {
        var vhost = $"it-{Guid.NewGuid().ToString("N")[..12]}";
        await CtlAsync("add_vhost", vhost);
        await CtlAsync("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        return vhost;
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                try
                {
                    await ChildProcess.RunAsync(_ctl, ["-n", NodeName, "stop"], _environment, TimeSpan.FromSeconds(30));
                }
                catch (Exception)
                {
                    // Killed below in any case.
                }
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(15));
            }
            await _process.DisposeAsync();
        }
        // erl starts epmd as a daemon outside the node's process tree: stop the private one.
        if (Machine.FindOnPath("epmd") is { } epmd && _environment.Count > 0)
        {
            await ChildProcess.RunAsync(epmd, ["-kill"], _environment, TimeSpan.FromSeconds(10));
        }
        Machine.DeleteDirectory(Directory);
    }
}
