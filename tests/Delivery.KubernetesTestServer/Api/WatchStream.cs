using System.Text;
using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer.Json;
using Delivery.KubernetesTestServer.Storage;
using Microsoft.AspNetCore.Http;

namespace Delivery.KubernetesTestServer.Api;

/// <summary>
/// A watch response: newline-delimited <c>{"type","object"}</c> events, streamed. <c>resourceVersion</c> absent or "0":
/// the current objects as ADDED, then changes; a version older than the history: one ERROR event with a 410 Expired
/// Status. With <c>allowWatchBookmarks</c>, a BOOKMARK carrying the newest resource version every
/// <see cref="KubernetesTestServerOptions.BookmarkInterval"/>. Ends after <c>timeoutSeconds</c> (bounded by
/// <see cref="KubernetesTestServerOptions.MaxWatchTimeout"/>) or when the client leaves.
/// </summary>
internal sealed class WatchStream(ObjectStore store, KubernetesTestServerOptions options)
{
    public async Task ServeAsync(HttpContext http, ResourceType type, string? ns, Func<JsonObject, bool> filter, string resourceVersion, bool bookmarks, int? timeoutSeconds)
    {
        long? from = resourceVersion is "" or "0" ? null
            : long.TryParse(resourceVersion, out var v) ? v : throw ApiStatusException.BadRequest($"invalid resourceVersion {resourceVersion}");
        var watcher = store.Watch(type, ns, filter, from);
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        var body = http.Response.Body;
        if (watcher is null)
        {
            await WriteAsync(body, Expired(from!.Value), http.RequestAborted);
            return;
        }
        var limit = TimeSpan.FromSeconds(Math.Min(timeoutSeconds ?? int.MaxValue, options.MaxWatchTimeout.TotalSeconds));
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        ends.CancelAfter(limit);
        await http.Response.StartAsync(ends.Token);
        try
        {
            var reader = watcher.Events;
            while (!ends.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(ends.Token);
                tick.CancelAfter(options.BookmarkInterval);
                bool ready;
                try
                {
                    ready = await reader.WaitToReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!ends.IsCancellationRequested)
                {
                    if (bookmarks)
                    {
                        await WriteAsync(body, Bookmark(type), ends.Token);
                    }
                    continue;
                }
                if (!ready)
                {
                    return;
                }
                while (reader.TryRead(out var e))
                {
                    if (e is null)
                    {
                        await WriteAsync(body, Expired(store.ResourceVersion - 1), ends.Token);
                        return;
                    }
                    await WriteAsync(body, e.Line, ends.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The timeout or the client ended the watch: the response just ends.
        }
        finally
        {
            watcher.Stop();
        }
    }

    private string Bookmark(ResourceType type) => new JsonObject
    {
        ["type"] = "BOOKMARK",
        ["object"] = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = new JsonObject { ["resourceVersion"] = store.ResourceVersion.ToString() } },
    }.ToJsonString();

    private static string Expired(long version) => new JsonObject
    {
        ["type"] = "ERROR",
        ["object"] = ApiStatusException.Status(410, "Expired", $"too old resource version: {version}"),
    }.ToJsonString();

    private static async Task WriteAsync(Stream body, string line, CancellationToken cancellationToken)
    {
        await body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
