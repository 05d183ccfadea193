using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.Clouddriver.Kubernetes.Api;

/// <summary>
/// Any kind's objects as JSON, over the official client's HTTP pipeline (its TLS and credentials from the kubeconfig):
/// discovery maps kinds to resources (so custom resources work), then get, list, server-side apply, patch, delete and
/// watch. Requests other than watches are bounded by a timeout.
/// </summary>
public sealed class KubeApi(k8s.Kubernetes client, TimeSpan requestTimeout)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<List<ResourceKind>>>> _discovery = new(StringComparer.Ordinal);

    /// <summary>The resource of a kind; throws <see cref="KubeApiException"/> (404) when the cluster does not serve it.</summary>
    public async Task<ResourceKind> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        var kinds = _discovery.GetOrAdd(apiVersion, v => new Lazy<Task<List<ResourceKind>>>(() => DiscoverAsync(v)));
        List<ResourceKind> served;
        try
        {
            served = await kinds.Value.WaitAsync(cancellationToken);
        }
        catch
        {
            _discovery.TryRemove(apiVersion, out _);
            throw;
        }
        if (served.FirstOrDefault(k => k.Kind == kind) is { } found)
        {
            return found;
        }
        _discovery.TryRemove(apiVersion, out _);
        throw new KubeApiException(404, $"the cluster serves no kind {kind} in {apiVersion}");
    }

    private async Task<List<ResourceKind>> DiscoverAsync(string apiVersion)
    {
        var path = apiVersion.Contains('/') ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";
        var list = await SendAsync(HttpMethod.Get, path, null, null, CancellationToken.None)
            ?? throw new KubeApiException(404, $"the cluster serves no API version {apiVersion}");
        return [.. list["resources"]!.AsArray().OfType<JsonObject>()
            .Where(r => !r["name"]!.GetValue<string>().Contains('/'))
            .Select(r => new ResourceKind(apiVersion, r["kind"]!.GetValue<string>(), r["name"]!.GetValue<string>(), r["namespaced"]?.GetValue<bool>() == true))];
    }

    /// <summary>The object, or null when it does not exist.</summary>
    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, kind.Item(ns, name), null, null, cancellationToken);

    /// <summary>The objects matching a label selector (all when null), and the list's resource version.</summary>
    public async Task<(List<JsonObject> Items, string ResourceVersion)> ListAsync(ResourceKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        var path = kind.Collection(ns) + (labelSelector is null ? "" : $"?labelSelector={Uri.EscapeDataString(labelSelector)}");
        var list = await SendAsync(HttpMethod.Get, path, null, null, cancellationToken) ?? [];
        return ([.. list["items"]?.AsArray().OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone()) ?? []],
            list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "");
    }

    /// <summary>Server-side apply of a manifest under <paramref name="fieldManager"/>, taking conflicting fields over.</summary>
    public async Task<JsonObject> ApplyAsync(ResourceKind kind, string? ns, JsonObject manifest, string fieldManager, CancellationToken cancellationToken)
    {
        var name = manifest["metadata"]!["name"]!.GetValue<string>();
        var path = $"{kind.Item(ns, name)}?fieldManager={Uri.EscapeDataString(fieldManager)}&force=true";
        return await SendAsync(HttpMethod.Patch, path, manifest.ToJsonString(), "application/apply-patch+yaml", cancellationToken)
            ?? throw new KubeApiException(404, $"{kind.Kind} {name} vanished while being applied");
    }

    /// <summary>
    /// Replaces the object whole (PUT with the live resourceVersion, as <c>kubectl replace</c>), or creates it (POST) when it
    /// does not exist.
    /// </summary>
    public async Task<JsonObject> ReplaceAsync(ResourceKind kind, string? ns, JsonObject manifest, string fieldManager, CancellationToken cancellationToken)
    {
        var name = manifest["metadata"]!["name"]!.GetValue<string>();
        var manager = $"?fieldManager={Uri.EscapeDataString(fieldManager)}";
        if (await GetAsync(kind, ns, name, cancellationToken) is not { } live)
        {
            return await SendAsync(HttpMethod.Post, kind.Collection(ns) + manager, manifest.ToJsonString(), "application/json", cancellationToken)
                ?? throw new KubeApiException(404, $"{kind.Kind} {name} could not be created");
        }
        var replacement = (JsonObject)manifest.DeepClone();
        replacement["metadata"]!["resourceVersion"] = live["metadata"]?["resourceVersion"]?.DeepClone();
        return await SendAsync(HttpMethod.Put, kind.Item(ns, name) + manager, replacement.ToJsonString(), "application/json", cancellationToken)
            ?? throw new KubeApiException(404, $"{kind.Kind} {name} vanished while being replaced");
    }

    /// <summary>A patch: <paramref name="contentType"/> is one of the patch media types.</summary>
    public async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, JsonNode patch, string contentType, string fieldManager, string? subresource, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Patch, $"{kind.Item(ns, name)}{(subresource is null ? "" : "/" + subresource)}?fieldManager={Uri.EscapeDataString(fieldManager)}", patch.ToJsonString(), contentType, cancellationToken)
            ?? throw new KubeApiException(404, $"{kind.Kind} {name} does not exist");

    /// <summary>Deletes the object with a propagation policy; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, string propagationPolicy, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, $"{kind.Item(ns, name)}?propagationPolicy={propagationPolicy}", null, null, cancellationToken) is not null;

    /// <summary>The cluster's version answer (the health probe).</summary>
    public Task<JsonObject?> VersionAsync(CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, "/version", null, null, cancellationToken);

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks; yields each event's type and object. A 410 Gone
    /// (as an ERROR event or a status) ends the watch with <see cref="KubeApiException"/> status 410: relist.
    /// </summary>
    public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = $"{kind.Collection(ns)}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds=300";
        using var request = await RequestAsync(HttpMethod.Get, path, null, null, cancellationToken);
        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, cancellationToken);
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 || JsonNode.Parse(line) is not JsonObject e || e["object"] is not JsonObject obj)
            {
                continue;
            }
            var type = e["type"]?.GetValue<string>() ?? "";
            if (type == "ERROR")
            {
                throw new KubeApiException(obj["code"]?.GetValue<int>() ?? 500, obj["message"]?.GetValue<string>() ?? "watch error");
            }
            yield return (type, (JsonObject)obj.DeepClone());
        }
    }

    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        using var request = await RequestAsync(method, path, body, contentType, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await client.HttpClient.SendAsync(request, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new KubeApiException(0, $"the cluster at {client.BaseUri} cannot be reached: {e.Message}");
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound && method != HttpMethod.Post)
            {
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(response, cancellationToken);
            }
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        }
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(client.BaseUri, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }
        if (client.Credentials is { } credentials)
        {
            try
            {
                await credentials.ProcessHttpRequestAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                request.Dispose();
                throw new KubeApiException(401, $"the account's credentials cannot be read: {e.Message}");
            }
        }
        return request;
    }

    private static async Task<KubeApiException> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string message;
        try
        {
            message = JsonNode.Parse(text)?["message"]?.GetValue<string>() ?? text;
        }
        catch (System.Text.Json.JsonException)
        {
            message = text;
        }
        return response.StatusCode == HttpStatusCode.Unauthorized
            ? new KubeApiException(401, $"the cluster refused the account's credentials (401 {message})")
            : new KubeApiException((int)response.StatusCode, message);
    }
}
