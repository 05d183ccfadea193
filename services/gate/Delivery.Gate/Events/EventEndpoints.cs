using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Delivery.Gate.Events;

/// <summary>
/// <c>GET /events</c>: live execution events as server-sent events (<c>text/event-stream</c>), filtered
/// by <c>application</c> and/or <c>executionId</c>. Each message is <c>id:</c> the event id, <c>event:</c>
/// its type (StageStarted ...), <c>data:</c> its JSON. A client that reconnects with <c>Last-Event-ID</c>
/// gets the events it missed, or <c>event: reset</c> when they are no longer kept (reload, then carry on).
/// Idle streams carry a comment line as heartbeat.
/// </summary>
public static class EventEndpoints
{
    private static readonly byte[] Opened = Encoding.UTF8.GetBytes(": events\n\n");
    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");
    private static readonly byte[] ResetFrame = Encoding.UTF8.GetBytes(
        "event: reset\ndata: {\"reason\":\"The events since Last-Event-ID are no longer kept: reload the executions you show.\"}\n\n");

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/events").WithTags("events").MapGet("/", Stream)
            .Produces(StatusCodes.Status200OK, typeof(string), "text/event-stream")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Stream(HttpContext http, EventHub hub, IOptions<EventStreamOptions> options)
    {
        var (filter, problem) = EventFilter.Parse(http.Request.Query);
        var (lastEventId, headerProblem) = EventFilter.ParseLastEventId(http.Request.Headers);
        if ((problem ?? headerProblem) is { } bad)
        {
            return bad;
        }
        if (hub.Subscribe(filter!, lastEventId, http.Abort) is not { } subscription)
        {
            return TypedResults.Problem($"This gate already streams events to {options.Value.MaxClients} clients; try again later.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        try
        {
            await WriteAsync(http, subscription, TimeSpan.FromSeconds(options.Value.HeartbeatSeconds));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException || http.RequestAborted.IsCancellationRequested)
        {
            // The client went away, or was dropped for falling behind.
        }
        finally
        {
            hub.Unsubscribe(subscription);
        }
        return TypedResults.Empty;
    }

    private static async Task WriteAsync(HttpContext http, EventSubscription subscription, TimeSpan heartbeat)
    {
        var cancel = http.RequestAborted;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        // Tells nginx-style proxies not to hold events back.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var body = http.Response.BodyWriter;
        body.Write(Opened);
        if (subscription.Reset)
        {
            body.Write(ResetFrame);
        }
        foreach (var streamed in subscription.Replay)
        {
            body.Write(streamed.Frame);
        }
        await body.FlushAsync(cancel);

        var events = subscription.Events;
        Task<bool>? waiting = null;
        while (true)
        {
            waiting ??= events.WaitToReadAsync(cancel).AsTask();
            try
            {
                await waiting.WaitAsync(heartbeat, cancel);
            }
            catch (TimeoutException)
            {
                body.Write(Heartbeat);
                await body.FlushAsync(cancel);
                continue;
            }
            if (!await waiting)
            {
                return;
            }
            waiting = null;
            while (events.TryRead(out var streamed))
            {
                body.Write(streamed.Frame);
            }
            await body.FlushAsync(cancel);
        }
    }
}
