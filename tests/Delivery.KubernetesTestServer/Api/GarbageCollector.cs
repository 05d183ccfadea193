using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer.Storage;

namespace Delivery.KubernetesTestServer.Api;

/// <summary>
/// Deletion with a propagation policy, by owner references: <c>Background</c> deletes the owner then its dependents,
/// <c>Foreground</c> the dependents first, <c>Orphan</c> removes the owner reference from the dependents and keeps them.
/// Done at once, within the request (a real cluster's garbage collector does it shortly after). Deleting a namespace
/// deletes everything in it.
/// </summary>
internal sealed class GarbageCollector(ObjectStore store, ResourceTypes types)
{
    /// <summary>Deletes the object; returns its last state, or null when it was already gone.</summary>
    public JsonObject? Delete(ResourceType type, JsonObject obj, string policy)
    {
        var ns = obj["metadata"]?["namespace"]?.GetValue<string>();
        var name = obj["metadata"]!["name"]!.GetValue<string>();
        var uid = obj["metadata"]!["uid"]!.GetValue<string>();
        var dependents = Dependents(type, ns, name, uid);
        if (policy == "Orphan")
        {
            foreach (var (t, d) in dependents)
            {
                store.Write(t, ns, d["metadata"]!["name"]!.GetValue<string>(), current =>
                {
                    var refs = current?["metadata"]?["ownerReferences"]?.AsArray();
                    if (refs is null)
                    {
                        return null;
                    }
                    current!["metadata"]!["ownerReferences"] = new JsonArray([.. refs.Where(r => r?["uid"]?.GetValue<string>() != uid).Select(r => r!.DeepClone())]);
                    return current;
                });
            }
            return store.Delete(type, ns, name);
        }
        JsonObject? deleted = null;
        if (policy == "Background")
        {
            deleted = store.Delete(type, ns, name);
        }
        foreach (var (t, d) in dependents)
        {
            Delete(t, d, policy);
        }
        return policy == "Foreground" ? store.Delete(type, ns, name) : deleted;
    }

    private List<(ResourceType Type, JsonObject Object)> Dependents(ResourceType type, string? ns, string name, string uid)
    {
        if (type.Kind == "Namespace")
        {
            return [.. types.All.Where(t => t.Namespaced).SelectMany(t => store.List(t, name).Items.Select(o => (t, o)))];
        }
        return [.. types.All.Where(t => t.Namespaced || ns is null)
            .SelectMany(t => store.List(t, t.Namespaced ? ns : null, o => o["metadata"]?["ownerReferences"]?.AsArray().Any(r => r?["uid"]?.GetValue<string>() == uid) == true).Items.Select(o => (t, o)))];
    }
}
