using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Tests.Stages.Support;

public sealed record FakeRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public JsonNode? Json => JsonNode.Parse(Body);

    /// <summary>Form fields of an <c>application/x-www-form-urlencoded</c> body, and the query string's.</summary>
    public Dictionary<string, string> Form() =>
        (Query.TrimStart('?') + "&" + Body).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
}

public sealed record FakeResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, string ContentType = "application/json")
{
    public static FakeResponse Json(int status, JsonNode body, IReadOnlyDictionary<string, string>? headers = null) => new(status, body.ToJsonString(), headers);
}

/// <summary>A real HTTP server on 127.0.0.1 (HttpListener) answering with a handler, recording every request.</summary>
public sealed class FakeHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<FakeRequest, FakeResponse> _handler;

    public FakeHttpServer(Func<FakeRequest, FakeResponse> handler)
    {
        _handler = handler;
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                _listener = listener;
                BaseAddress = new Uri($"http://127.0.0.1:{port}/");
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
        _ = Task.Run(LoopAsync);
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    public Uri Url(string path) => new(BaseAddress, path);

    public IReadOnlyList<FakeRequest> RequestsTo(string path) => [.. Requests.Where(r => r.Path == path)];

    public void Dispose() => _listener.Close();

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync();
            }
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in context.Request.Headers.AllKeys.OfType<string>())
            {
                headers[name] = context.Request.Headers[name] ?? "";
            }
            var request = new FakeRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Url.Query, headers, body, DateTimeOffset.UtcNow);
            Requests.Enqueue(request);
            FakeResponse response;
            try
            {
                response = _handler(request);
            }
            catch (Exception e)
            {
                response = new FakeResponse(500, e.Message, ContentType: "text/plain");
            }
            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers.Add(name, value);
            }
            if (response.Body is { } text)
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                context.Response.ContentType = response.ContentType;
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away or the server is shutting down.
        }
    }
}
