using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Delivery.Clouddriver.Tests.TestHost;

/// <summary>A client sending a steady stream of requests to a load balancer, counting failures and the versions that answered.</summary>
public sealed class TrafficProbe : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;
    private int _epoch;

    public TrafficProbe(string url)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        _loop = Task.Run(LoopAsync);
    }

    public ConcurrentQueue<string> Failures { get; } = new();

    public ConcurrentDictionary<string, int> Versions { get; } = new();

    public int Requests => Volatile.Read(ref _requests);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var epoch = Volatile.Read(ref _epoch);
            try
            {
                using var response = await _http.GetAsync("/", _stop.Token);
                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                if (!response.IsSuccessStatusCode)
                {
                    Failures.Enqueue($"{(int)response.StatusCode}: {body}");
                }
                else if (epoch == Volatile.Read(ref _epoch))
                {
                    Versions.AddOrUpdate(JsonNode.Parse(body)!["version"]!.GetValue<string>(), 1, (_, n) => n + 1);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Failures.Enqueue(e.Message);
            }
            Interlocked.Increment(ref _requests);
            await Task.Delay(5);
        }
    }

    /// <summary>Forgets the versions seen so far; a request already on its way when this is called is not counted.</summary>
    public void ResetVersions()
    {
        Interlocked.Increment(ref _epoch);
        Versions.Clear();
    }

    /// <summary>Waits until at least <paramref name="more"/> further requests were sent.</summary>
    public async Task PassAsync(int more)
    {
        var target = Requests + more;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Requests < target && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _http.Dispose();
    }
}
