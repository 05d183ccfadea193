using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Accounts;
using Delivery.Clouddriver.Kubernetes.Api;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Delivery.Clouddriver.Kubernetes.Inventory;

/// <summary>
/// The live objects of every healthy account, kept by watches (not polling): per kind and namespace (or all namespaces),
/// a list, then a watch from its resource version with bookmarks. When a watch ends it resumes from the last version seen;
/// when that version has expired (410 Gone) the kind is listed again and the listing replaces what was kept, so objects
/// deleted meanwhile go and nothing changed meanwhile is lost.
/// </summary>
public sealed class KubernetesInventory(KubernetesAccounts accounts, ILogger<KubernetesInventory> logger) : BackgroundService
{
    /// <summary>The kinds kept: server groups, their owners, instances, load balancers and firewalls.</summary>
    public static readonly (string ApiVersion, string Kind)[] Kinds =
    [
        ("apps/v1", "Deployment"), ("apps/v1", "ReplicaSet"), ("apps/v1", "StatefulSet"), ("apps/v1", "DaemonSet"), ("v1", "Pod"),
        ("v1", "Service"), ("networking.k8s.io/v1", "Ingress"), ("networking.k8s.io/v1", "NetworkPolicy"),
    ];

    private readonly ConcurrentDictionary<(string Account, string Kind), ConcurrentDictionary<string, JsonObject>> _objects = new();

    /// <summary>Copies of the kept objects of a kind in an account.</summary>
    public IReadOnlyList<JsonObject> Objects(string account, string kind) =>
        _objects.TryGetValue((account, kind), out var kept) ? [.. kept.Values] : [];

    /// <summary>Relists that happened after a watch expired (410 Gone), for tests and metrics.</summary>
    public int Relists => _relists;

    private int _relists;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(accounts.All
        .SelectMany(a => (a.Namespaces.Count == 0 ? [null] : a.Namespaces.Select(n => (string?)n)).SelectMany(ns => Kinds.Select(k => KeepAsync(a, k.ApiVersion, k.Kind, ns, stoppingToken)))));

    private async Task KeepAsync(KubernetesAccount account, string apiVersion, string kindName, string? ns, CancellationToken stoppingToken)
    {
        var kept = _objects.GetOrAdd((account.Name, kindName), _ => new());
        string? version = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var api = account.RequireApi();
                var kind = await api.ResolveAsync(apiVersion, kindName, stoppingToken);
                if (version is null)
                {
                    var (items, listed) = await api.ListAsync(kind, ns, null, stoppingToken);
                    var names = items.Select(Key).ToHashSet();
                    foreach (var item in items)
                    {
                        kept[Key(item)] = item;
                    }
                    foreach (var gone in kept.Keys.Where(k => !names.Contains(k) && (ns is null || k.StartsWith(ns + "/", StringComparison.Ordinal))))
                    {
                        kept.TryRemove(gone, out _);
                    }
                    version = listed;
                }
                await foreach (var (type, obj) in api.WatchAsync(kind, ns, version, stoppingToken))
                {
                    version = obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? version;
                    switch (type)
                    {
                        case "ADDED" or "MODIFIED":
                            kept[Key(obj)] = obj;
                            break;
                        case "DELETED":
                            kept.TryRemove(Key(obj), out _);
                            break;
                    }
                }
            }
            catch (KubeApiException e) when (e.Status == 410)
            {
                Interlocked.Increment(ref _relists);
                version = null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(e, "Watching {Kind} of account {Account} failed; retrying", kindName, account.Name);
                version = null;
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static string Key(JsonObject obj) => $"{obj["metadata"]?["namespace"]?.GetValue<string>()}/{obj["metadata"]?["name"]?.GetValue<string>()}";
}
