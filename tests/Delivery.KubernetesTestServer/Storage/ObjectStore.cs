using System.Text.Json.Nodes;
using System.Threading.Channels;
using Delivery.KubernetesTestServer.Json;

namespace Delivery.KubernetesTestServer.Storage;

/// <summary>
/// The objects of the simulated cluster, as etcd behind the API server: one global resource version, a bounded history
/// of changes that watches resume from (older versions are answered 410 Gone), and every write atomic under one lock.
/// Objects are JSON; callers get copies.
/// </summary>
public sealed class ObjectStore(TimeProvider time, int historyLimit)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Key, string Namespace, string Name), JsonObject> _objects = [];
    private readonly LinkedList<WatchEvent> _history = new();
    private readonly List<Watcher> _watchers = [];
    private long _resourceVersion = 1;
    private long _compacted;

    /// <summary>Called after every write, outside the lock (the controllers' trigger).</summary>
    public event Action<WatchEvent>? Changed;

    /// <summary>The newest resource version.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    public TimeProvider Time => time;

    /// <summary>A copy of the object, or null.</summary>
    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        lock (_lock)
        {
            return _objects.TryGetValue((type.Key, ns ?? "", name), out var obj) ? (JsonObject)obj.DeepClone() : null;
        }
    }

    /// <summary>Copies of the objects of a type (in one namespace, or all when <paramref name="ns"/> is null) and the list's resource version.</summary>
    public (List<JsonObject> Items, long ResourceVersion) List(ResourceType type, string? ns, Func<JsonObject, bool>? filter = null)
    {
        lock (_lock)
        {
            var items = _objects.Where(o => o.Key.Key == type.Key && (ns is null || o.Key.Namespace == ns))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => o.Value).Where(o => filter?.Invoke(o) ?? true).Select(o => (JsonObject)o.DeepClone()).ToList();
            return (items, _resourceVersion);
        }
    }

    /// <summary>
    /// Reads, changes and writes one object atomically. <paramref name="change"/> gets a copy of the current object (null
    /// when absent) and returns the object to store, or null to leave it as it is; it may throw <see cref="ApiStatusException"/>.
    /// Sets uid, creationTimestamp, resourceVersion, and generation (bumped when anything but metadata and status changed).
    /// </summary>
    public JsonObject? Write(ResourceType type, string? ns, string name, Func<JsonObject?, JsonObject?> change)
    {
        WatchEvent? written;
        JsonObject? stored;
        lock (_lock)
        {
            var key = (type.Key, ns ?? "", name);
            _objects.TryGetValue(key, out var current);
            var next = change((JsonObject?)current?.DeepClone());
            if (next is null)
            {
                return (JsonObject?)current?.DeepClone();
            }
            Defaults.Apply(type, next);
            if (current is not null && JsonNode.DeepEquals(Comparable(current), Comparable(next)))
            {
                return (JsonObject)current.DeepClone();
            }
            var metadata = next["metadata"] as JsonObject ?? [];
            next["metadata"] = metadata;
            next["apiVersion"] = type.ApiVersion;
            next["kind"] = type.Kind;
            metadata["name"] = name;
            if (type.Namespaced)
            {
                metadata["namespace"] = ns;
            }
            if (current is null)
            {
                metadata["uid"] = Guid.NewGuid().ToString();
                metadata["creationTimestamp"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
                metadata["generation"] = 1;
            }
            else
            {
                metadata["uid"] = current["metadata"]!["uid"]!.DeepClone();
                metadata["creationTimestamp"] = current["metadata"]!["creationTimestamp"]!.DeepClone();
                var generation = current["metadata"]!["generation"]?.AsLong() ?? 1;
                metadata["generation"] = SpecChanged(current, next) ? generation + 1 : generation;
            }
            metadata["resourceVersion"] = (++_resourceVersion).ToString();
            _objects[key] = next;
            stored = (JsonObject)next.DeepClone();
            written = Record(new WatchEvent(current is null ? "ADDED" : "MODIFIED", type, _resourceVersion, (JsonObject)next.DeepClone()));
        }
        Changed?.Invoke(written);
        return stored;
    }

    /// <summary>Removes the object; returns its last state, or null when it did not exist.</summary>
    public JsonObject? Delete(ResourceType type, string? ns, string name)
    {
        WatchEvent deleted;
        lock (_lock)
        {
            if (!_objects.Remove((type.Key, ns ?? "", name), out var current))
            {
                return null;
            }
            current["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString();
            deleted = Record(new WatchEvent("DELETED", type, _resourceVersion, current));
        }
        Changed?.Invoke(deleted);
        return (JsonObject)deleted.Object.DeepClone();
    }

    /// <summary>
    /// Starts a watch: from <paramref name="fromVersion"/> (null: the current objects as ADDED first, then changes).
    /// Returns null when that version is no longer in the history (the caller answers 410 Gone).
    /// </summary>
    public Watcher? Watch(ResourceType type, string? ns, Func<JsonObject, bool> filter, long? fromVersion)
    {
        lock (_lock)
        {
            if (fromVersion is { } from && from < _compacted)
            {
                return null;
            }
            var watcher = new Watcher(type, ns, filter, this);
            if (fromVersion is { } since)
            {
                foreach (var e in _history.Where(e => e.ResourceVersion > since))
                {
                    watcher.Offer(e);
                }
            }
            else
            {
                foreach (var o in _objects.Where(o => o.Key.Key == type.Key && (ns is null || o.Key.Namespace == ns)))
                {
                    watcher.Offer(new WatchEvent("ADDED", type, long.Parse(o.Value["metadata"]!["resourceVersion"]!.GetValue<string>()), (JsonObject)o.Value.DeepClone()));
                }
            }
            _watchers.Add(watcher);
            return watcher;
        }
    }

    /// <summary>Forgets the history (as etcd compaction does) and ends every open watch with 410 Gone.</summary>
    public void ExpireWatches()
    {
        lock (_lock)
        {
            _compacted = _resourceVersion;
            _history.Clear();
            foreach (var watcher in _watchers)
            {
                watcher.Expire();
            }
            _watchers.Clear();
        }
    }

    internal void Stop(Watcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }

    private WatchEvent Record(WatchEvent e)
    {
        _history.AddLast(e);
        while (_history.Count > historyLimit)
        {
            _compacted = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }
        foreach (var watcher in _watchers.ToList())
        {
            if (!watcher.Offer(e))
            {
                _watchers.Remove(watcher);
            }
        }
        return e;
    }

    private static JsonObject Comparable(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"] is JsonObject metadata)
        {
            metadata.Remove("resourceVersion");
            metadata.Remove("generation");
            foreach (var entry in metadata["managedFields"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                entry.Remove("time");
            }
        }
        return copy;
    }

    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        static JsonObject Spec(JsonObject o) => new(o.Where(kv => kv.Key is not ("metadata" or "status" or "apiVersion" or "kind"))
            .Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
        return !JsonNode.DeepEquals(Spec(before), Spec(after));
    }
}

/// <summary>One open watch: the events it will send, at most <see cref="Capacity"/> queued (a slower reader is expired).</summary>
public sealed class Watcher
{
    /// <summary>Queued events beyond which a watch is ended with 410, as the API server drops slow watchers.</summary>
    public const int Capacity = 10_000;

    private readonly Channel<WatchEvent?> _events = Channel.CreateBounded<WatchEvent?>(Capacity + 1);
    private readonly ResourceType _type;
    private readonly string? _namespace;
    private readonly Func<JsonObject, bool> _filter;
    private readonly ObjectStore _store;

    internal Watcher(ResourceType type, string? ns, Func<JsonObject, bool> filter, ObjectStore store)
    {
        (_type, _namespace, _filter, _store) = (type, ns, filter, store);
    }

    /// <summary>Events to send; a null event means the watch expired (send 410 and end).</summary>
    public ChannelReader<WatchEvent?> Events => _events.Reader;

    internal bool Offer(WatchEvent e)
    {
        if (e.Resource.Key != _type.Key || (_namespace is not null && e.Namespace != _namespace) || !_filter(e.Object))
        {
            return true;
        }
        if (_events.Reader.Count >= Capacity)
        {
            Expire();
            return false;
        }
        return _events.Writer.TryWrite(e);
    }

    internal void Expire()
    {
        _events.Writer.TryWrite(null);
        _events.Writer.TryComplete();
    }

    /// <summary>Stops receiving events.</summary>
    public void Stop()
    {
        _store.Stop(this);
        _events.Writer.TryComplete();
    }
}
