using System.Net;
using System.Text.Json.Nodes;

namespace Delivery.Gate.Tests.TestHost;

/// <summary>One server-sent event as received: its id, type and data (the event JSON).</summary>
public sealed record SseMessage(string? Id, string? Event, string Data)
{
    public JsonObject Json => JsonNode.Parse(Data)!.AsObject();

    public long Sequence => Json["sequence"]!.GetValue<long>();

    public string? RefId => Json["refId"]?.GetValue<string>();

    public string? Status => Json["status"]?.GetValue<string>();
}

/// <summary>A client of <c>GET /events</c> that reads the stream line by line, as a browser's EventSource does.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    /// <summary>Comment lines received (heartbeats), without the colon.</summary>
    public List<string> Comments { get; } = [];

    /// <summary>Every event received so far.</summary>
    public List<SseMessage> Received { get; } = [];

    public static async Task<SseClient> ConnectAsync(HttpClient http, string query = "", string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/events" + query);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseClient(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>
    /// The next event; null when the server ended (or aborted) the stream. After the timeout, fails the test,
    /// or with <paramref name="failOnTimeout"/> false returns null.
    /// </summary>
    public async Task<SseMessage?> NextAsync(TimeSpan? timeout = null, bool failOnTimeout = true)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        string? id = null, type = null, data = null;
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(cancel.Token);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                Assert.False(failOnTimeout, $"No event within the timeout; received {Received.Count} so far.");
                return null;
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                return null;
            }
            switch (line)
            {
                case null:
                    return null;
                case "":
                    if (data is not null)
                    {
                        var message = new SseMessage(id, type, data);
                        Received.Add(message);
                        return message;
                    }
                    break;
                case [':', ..]:
                    Comments.Add(line[1..].Trim());
                    break;
                default:
                    var colon = line.IndexOf(':');
                    var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
                    switch (field)
                    {
                        case "id": id = value; break;
                        case "event": type = value; break;
                        case "data": data = data is null ? value : data + "\n" + value; break;
                    }
                    break;
            }
        }
    }

    /// <summary>Reads events until one satisfies the condition (returned last in <see cref="Received"/>).</summary>
    public async Task<SseMessage> ReadUntilAsync(Func<SseMessage, bool> condition, TimeSpan? timeout = null)
    {
        while (true)
        {
            var message = await NextAsync(timeout);
            Assert.True(message is not null, $"The stream ended after {Received.Count} events.");
            if (condition(message))
            {
                return message;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
