using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Stages;

/// <summary>
/// Every task run has a hard deadline passed through its I/O (issue 7, section 2): a webhook whose server sends its
/// headers and then one byte at a time cannot hold a consumer; its stage fails naming the limit, and others run on.
/// </summary>
public sealed class TaskRunDeadlineTests : IDisposable
{
    private readonly StandaloneFactory _factory = new(TestStages.Register, new Dictionary<string, string?>
    {
        ["Delivery:Http:AllowedHosts:0"] = "127.0.0.1",
        ["Delivery:Orchestrator:TaskRunTimeoutMs"] = "1000",
    });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task WebhookWhoseServerTricklesItsBody_FailsAtTheDeadline_AndOthersRunOn()
    {
        using var server = new TricklingServer();
        var client = _factory.CreateDeliveryClient();
        await client.SaveStagesAsync("trickle", new JsonObject
        {
            ["refId"] = "1",
            ["type"] = "webhook",
            ["name"] = "slow body",
            ["url"] = $"http://127.0.0.1:{server.Port}/hook",
        });
        var neighbour = await client.SaveStagesAsync("trickle-neighbour", Wait("1", 0.2), Wait("2", 0, "1"));
        var watch = Stopwatch.StartNew();

        var id = await client.TriggerAsync("test", "trickle");
        var other = await client.TriggerAsync("test", neighbour);
        var failed = await client.WaitForAsync(id, e => Status(e) is not ("RUNNING" or "NOT_STARTED"), TimeSpan.FromSeconds(20));

        Assert.Equal("TERMINAL", Status(failed));
        var error = Stage(failed, "1")["context"]!["exception"]!["details"]!["error"]!.GetValue<string>();
        Assert.Contains("TaskRunTimeoutMs", error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"the trickling webhook held its task for {watch.Elapsed}");
        Assert.True(server.BytesSent < 40, $"the server trickled {server.BytesSent} bytes before the client gave up");
        Assert.Equal("SUCCEEDED", Status(await client.WaitForStatusAsync(other, "SUCCEEDED")));
    }

    /// <summary>Answers every request with a 200 whose body it sends one byte every 200 ms.</summary>
    private sealed class TricklingServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _bytes;

        public TricklingServer()
        {
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int BytesSent => Volatile.Read(ref _bytes);

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient connection;
                try
                {
                    connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }
                _ = Task.Run(() => TrickleAsync(connection));
            }
        }

        private async Task TrickleAsync(TcpClient connection)
        {
            using var _ = connection;
            try
            {
                var stream = connection.GetStream();
                var buffer = new byte[8192];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }
                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"), _stop.Token);
                while (!_stop.IsCancellationRequested)
                {
                    await stream.WriteAsync(" "u8.ToArray(), _stop.Token);
                    Interlocked.Increment(ref _bytes);
                    await Task.Delay(200, _stop.Token);
                }
            }
            catch (Exception)
            {
                // The client hung up: what the test wants.
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
