using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer.Storage;

namespace Delivery.KubernetesTestServer.Api;

/// <summary>
/// Discovery as the API reference describes it: <c>/version</c>, the legacy (unaggregated) <c>/api</c>, <c>/apis</c> and
/// per group-version <c>APIResourceList</c>s (clients asking for aggregated discovery fall back to these, as with an API
/// server that does not serve it), and an OpenAPI v3 index whose group-version documents declare the query parameters
/// kubectl probes (<c>fieldValidation</c>) for each kind's PATCH.
/// </summary>
internal static class Discovery
{
    public static JsonObject Version() => new()
    {
        ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-delivery-test", ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean", ["buildDate"] = "2026-01-01T00:00:00Z", ["goVersion"] = "go1.23", ["compiler"] = "gc", ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(ResourceTypes types) => new()
    {
        ["kind"] = "APIGroupList", ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. types.All.Where(t => t.Group.Length > 0).GroupBy(t => t.Group).Select(g => (JsonNode)Group(g.Key, g))]),
    };

    public static JsonObject? Group(ResourceTypes types, string group)
    {
        var served = types.All.Where(t => t.Group == group).ToList();
        return served.Count == 0 ? null : Group(group, served);
    }

    private static JsonObject Group(string name, IEnumerable<ResourceType> types)
    {
        var versions = types.Select(t => t.Version).Distinct().Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{name}/{v}", ["version"] = v }).ToArray();
        return new JsonObject
        {
            ["kind"] = "APIGroup", ["apiVersion"] = "v1", ["name"] = name, ["versions"] = new JsonArray(versions),
            ["preferredVersion"] = versions[0].DeepClone(),
        };
    }

    public static JsonObject? Resources(ResourceTypes types, string group, string version)
    {
        var served = types.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (served.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var t in served)
        {
            var main = new JsonObject
            {
                ["name"] = t.Plural, ["singularName"] = t.Singular, ["namespaced"] = t.Namespaced, ["kind"] = t.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            };
            if (t.ShortNames is { Count: > 0 } shortNames)
            {
                main["shortNames"] = new JsonArray([.. shortNames.Select(s => (JsonNode)s)]);
            }
            resources.Add(main);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject { ["name"] = $"{t.Plural}/status", ["singularName"] = "", ["namespaced"] = t.Namespaced, ["kind"] = t.Kind, ["verbs"] = new JsonArray("get", "patch", "update") });
            }
            if (t.HasScale)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{t.Plural}/scale", ["singularName"] = "", ["namespaced"] = t.Namespaced, ["group"] = "autoscaling", ["version"] = "v1",
                    ["kind"] = "Scale", ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}", ["resources"] = resources };
    }

    /// <summary>The OpenAPI v3 index: one document per group-version.</summary>
    public static JsonObject OpenApiIndex(ResourceTypes types) => new()
    {
        ["paths"] = new JsonObject(types.All.Select(t => t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}").Distinct()
            .Select(p => KeyValuePair.Create(p, (JsonNode?)new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{p}?hash=0" }))),
    };

    /// <summary>
    /// A group-version's OpenAPI v3 document with its paths' operations (each PATCH declaring <c>fieldValidation</c> and its
    /// kind) and open object schemas for the kinds (no field checks).
    /// </summary>
    public static JsonObject? OpenApiGroupVersion(ResourceTypes types, string path)
    {
        var served = types.All.Where(t => (t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}") == path).ToList();
        if (served.Count == 0)
        {
            return null;
        }
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var t in served)
        {
            // Operations carry one group-version-kind object, schemas a list of them (kubectl reads the operation's).
            var gvk = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };
            var prefix = $"/{path}/{(t.Namespaced ? "namespaces/{namespace}/" : "")}{t.Plural}/{{name}}";
            JsonObject Operation(string id, params string[] parameters) => new()
            {
                ["operationId"] = id, ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
                ["parameters"] = new JsonArray([.. parameters.Select(p => (JsonNode)new JsonObject { ["name"] = p, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } })]),
                ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            };
            paths[prefix] = new JsonObject
            {
                ["get"] = Operation($"read{t.Kind}"),
                ["put"] = Operation($"replace{t.Kind}", "dryRun", "fieldManager", "fieldValidation"),
                ["patch"] = Operation($"patch{t.Kind}", "dryRun", "fieldManager", "fieldValidation", "force"),
                ["delete"] = Operation($"delete{t.Kind}", "dryRun", "gracePeriodSeconds", "propagationPolicy"),
            };
            var schemaName = $"io.k8s.delivery.{(t.Group.Length == 0 ? "core" : t.Group)}.{t.Version}.{t.Kind}";
            schemas[schemaName] = new JsonObject
            {
                ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true, ["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone()),
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0", ["info"] = new JsonObject { ["title"] = "Kubernetes (Delivery test server)", ["version"] = "v1.32.0" },
            ["paths"] = paths, ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }
}
