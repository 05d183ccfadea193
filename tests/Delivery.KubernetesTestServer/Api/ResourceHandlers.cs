using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Delivery.KubernetesTestServer.Json;
using Delivery.KubernetesTestServer.Storage;
using Microsoft.AspNetCore.Http;

namespace Delivery.KubernetesTestServer.Api;

/// <summary>The verbs on resources (get, list, watch, create, update, patch, delete, deletecollection) and the status and scale subresources.</summary>
internal sealed partial class ResourceHandlers(ObjectStore store, ResourceTypes types, KubernetesTestServerOptions options)
{
    /// <summary>Largest accepted request body in bytes (the API server's limit is 3 MiB).</summary>
    public const int MaxBodyBytes = 3 * 1024 * 1024;

    public async Task<JsonObject?> HandleAsync(HttpContext http, ResourceRequest request)
    {
        var query = http.Request.Query;
        var method = http.Request.Method;
        if (request.Namespace is { } ns && request.Type.Kind != "Namespace" && store.Get(Namespaces, null, ns) is null && method is "POST" or "PATCH" or "PUT")
        {
            throw ApiStatusException.NotFound("namespaces", ns);
        }
        if (request.Name is null)
        {
            switch (method)
            {
                case "GET" when query["watch"] is ["true"] or ["1"]:
                    await new WatchStream(store, options).ServeAsync(http, request.Type, request.Namespace, Filter(query), query["resourceVersion"].ToString(),
                        query["allowWatchBookmarks"] is ["true"], int.TryParse(query["timeoutSeconds"], out var t) ? t : null);
                    return null;
                case "GET":
                    return List(request, query);
                case "POST":
                    return Create(request, await BodyAsync(http), http);
                case "DELETE":
                    return DeleteCollection(request, query);
            }
            throw new ApiStatusException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource");
        }
        return (method, request.Subresource) switch
        {
            ("GET", null or "status") => store.Get(request.Type, request.Namespace, request.Name) ?? throw NotFound(request),
            ("GET", "scale") when request.Type.HasScale => Scale(store.Get(request.Type, request.Namespace, request.Name) ?? throw NotFound(request)),
            ("PUT", _) => Update(request, await BodyAsync(http), http, null),
            ("PATCH", _) => Update(request, await BodyAsync(http), http, http.Request.ContentType?.Split(';')[0].Trim()),
            ("DELETE", null) => Delete(request, query, await BodyAsync(http)),
            _ => throw new ApiStatusException(404, "NotFound", "the server could not find the requested resource"),
        };
    }

    private ResourceType Namespaces => types.Find("", "v1", "namespaces")!;

    private static ApiStatusException NotFound(ResourceRequest r) => ApiStatusException.NotFound(r.Type.Qualified, r.Name!);

    private static Func<JsonObject, bool> Filter(IQueryCollection query)
    {
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = LabelSelector.Parse(query["fieldSelector"]);
        return o => labels.MatchesLabels(o) && fields.MatchesFields(o);
    }

    private JsonObject List(ResourceRequest request, IQueryCollection query)
    {
        var (items, version) = store.List(request.Type, request.Namespace, Filter(query));
        var offset = 0;
        if (query["continue"] is [{ Length: > 0 } token])
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
            (version, offset) = (long.Parse(parts[0]), int.Parse(parts[1]));
        }
        var metadata = new JsonObject { ["resourceVersion"] = version.ToString() };
        if (int.TryParse(query["limit"], out var limit) && limit > 0 && items.Count - offset > limit)
        {
            metadata["continue"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{version}:{offset + limit}"));
            metadata["remainingItemCount"] = items.Count - offset - limit;
            items = items.Skip(offset).Take(limit).ToList();
        }
        else
        {
            items = items.Skip(offset).ToList();
        }
        return new JsonObject
        {
            ["kind"] = request.Type.Kind + "List", ["apiVersion"] = request.Type.ApiVersion, ["metadata"] = metadata,
            ["items"] = new JsonArray([.. items]),
        };
    }

    private JsonObject Create(ResourceRequest request, JsonObject body, HttpContext http)
    {
        CheckKind(request.Type, body);
        var metadata = body["metadata"] as JsonObject ?? throw ApiStatusException.Invalid($"{request.Type.Kind} is invalid: metadata: Required value");
        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) && metadata["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
        {
            name = prefix + Guid.NewGuid().ToString("N")[..5];
        }
        ValidateName(request.Type, name);
        if (request.Type.HasStatus)
        {
            body.Remove("status");
        }
        var created = false;
        var stored = store.Write(request.Type, request.Namespace, name!, current =>
        {
            if (current is not null)
            {
                throw new ApiStatusException(409, "AlreadyExists", $"{request.Type.Qualified} \"{name}\" already exists");
            }
            created = true;
            ManagedFields.Update(null, body, Manager(http), null, store.Time.GetUtcNow());
            return body;
        })!;
        http.Response.StatusCode = created ? 201 : 200;
        return stored;
    }

    private JsonObject Update(ResourceRequest request, JsonObject body, HttpContext http, string? patchType)
    {
        var query = http.Request.Query;
        var type = request.Type;
        if (request.Subresource is not (null or "status" or "scale") || (request.Subresource == "scale" && !type.HasScale) || (request.Subresource == "status" && !type.HasStatus))
        {
            throw new ApiStatusException(404, "NotFound", "the server could not find the requested resource");
        }
        var apply = patchType == "application/apply-patch+yaml";
        if (apply && query["fieldManager"] is not [{ Length: > 0 }])
        {
            throw ApiStatusException.BadRequest("PATCH, application/apply-patch+yaml requests require fieldManager to be set");
        }
        var created = false;
        var stored = store.Write(type, request.Namespace, request.Name!, current =>
        {
            if (apply)
            {
                CheckKind(type, body);
                if (body["metadata"]?["name"]?.GetValue<string>() is { } named && named != request.Name)
                {
                    throw ApiStatusException.BadRequest($"the name of the object ({named}) does not match the name on the URL ({request.Name})");
                }
                if (current is null)
                {
                    ValidateName(type, request.Name);
                    created = true;
                }
                var status = current?["status"]?.DeepClone();
                var applied = ManagedFields.Apply(current, body, query["fieldManager"]!, query["force"] is ["true"], store.Time.GetUtcNow());
                applied.Remove("status");
                if (status is not null && type.HasStatus)
                {
                    applied["status"] = status;
                }
                return applied;
            }
            if (current is null)
            {
                throw NotFound(request);
            }
            var next = request.Subresource == "scale" ? UpdateScale(current, body, patchType) : Patched(current, body, patchType, type);
            CheckResourceVersion(current, request.Subresource == "scale" ? body : next, patchType is null);
            if (request.Subresource == "status")
            {
                var status = next["status"]?.DeepClone();
                next = (JsonObject)current.DeepClone();
                next["status"] = status;
            }
            else if (type.HasStatus)
            {
                next["status"] = current["status"]?.DeepClone();
            }
            ManagedFields.Update(current, next, Manager(http), request.Subresource, store.Time.GetUtcNow());
            return next;
        })!;
        if (created)
        {
            http.Response.StatusCode = 201;
        }
        return request.Subresource == "scale" ? Scale(stored) : stored;
    }

    private static JsonObject Patched(JsonObject current, JsonNode body, string? patchType, ResourceType type)
    {
        JsonNode? next = patchType switch
        {
            null => body.DeepClone(),
            "application/merge-patch+json" => Patches.MergePatch(current.DeepClone(), body),
            "application/strategic-merge-patch+json" when Patches.BuiltInGroups.Contains(type.Group) => Patches.StrategicMerge(current.DeepClone(), body),
            "application/json-patch+json" => Patches.JsonPatch(current, body["operations"] as JsonArray ?? throw ApiStatusException.BadRequest("a json patch is a list of operations")),
            _ => throw new ApiStatusException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"),
        };
        if (next is not JsonObject obj)
        {
            throw ApiStatusException.BadRequest("the patched object is not an object");
        }
        CheckKind(type, obj);
        return obj;
    }

    private static void CheckResourceVersion(JsonObject current, JsonObject next, bool required)
    {
        var expected = next["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (expected is { Length: > 0 } && expected != current["metadata"]!["resourceVersion"]!.GetValue<string>())
        {
            throw ApiStatusException.Conflict($"Operation cannot be fulfilled on {current["kind"]}s \"{current["metadata"]!["name"]}\": the object has been modified; please apply your changes to the latest version and try again");
        }
        if (required && expected is not { Length: > 0 })
        {
            throw ApiStatusException.Invalid($"{current["kind"]} \"{current["metadata"]!["name"]}\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
        }
    }

    private static JsonObject Scale(JsonObject obj) => new()
    {
        ["kind"] = "Scale", ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = obj["metadata"]!["name"]!.DeepClone(), ["namespace"] = obj["metadata"]!["namespace"]?.DeepClone(),
            ["uid"] = obj["metadata"]!["uid"]!.DeepClone(), ["resourceVersion"] = obj["metadata"]!["resourceVersion"]!.DeepClone(),
            ["creationTimestamp"] = obj["metadata"]!["creationTimestamp"]!.DeepClone(),
        },
        ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.AsInt() ?? 1 },
        ["status"] = new JsonObject
        {
            ["replicas"] = obj["status"]?["replicas"]?.AsInt() ?? 0,
            ["selector"] = LabelSelector.FromObject(obj["spec"]?["selector"] as JsonObject),
        },
    };

    private static JsonObject UpdateScale(JsonObject current, JsonObject body, string? patchType)
    {
        var scale = Scale(current);
        JsonNode next = patchType switch
        {
            null => body,
            "application/json-patch+json" => Patches.JsonPatch(scale, body["operations"]?.AsArray() ?? throw ApiStatusException.BadRequest("json patch body must be a list")),
            _ => Patches.MergePatch(scale, body)!,
        };
        var replicas = next["spec"]?["replicas"]?.AsInt() ?? throw ApiStatusException.Invalid("Scale is invalid: spec.replicas: Required value");
        if (replicas < 0)
        {
            throw ApiStatusException.Invalid($"Scale is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0");
        }
        body["metadata"] = next["metadata"]?.DeepClone();
        var result = (JsonObject)current.DeepClone();
        result["spec"]!["replicas"] = replicas;
        return result;
    }

    private JsonObject Delete(ResourceRequest request, IQueryCollection query, JsonObject? options)
    {
        var policy = query["propagationPolicy"] is [{ Length: > 0 } p] ? p : options?["propagationPolicy"]?.GetValue<string>() ?? "Background";
        if (policy is not ("Background" or "Foreground" or "Orphan"))
        {
            throw ApiStatusException.BadRequest($"propagationPolicy must be Background, Foreground or Orphan, not {policy}");
        }
        var existing = store.Get(request.Type, request.Namespace, request.Name!) ?? throw NotFound(request);
        return new GarbageCollector(store, types).Delete(request.Type, existing, policy) ?? throw NotFound(request);
    }

    private JsonObject DeleteCollection(ResourceRequest request, IQueryCollection query)
    {
        var list = List(request, new QueryCollection(query.Where(q => q.Key is "labelSelector" or "fieldSelector").ToDictionary()));
        var collector = new GarbageCollector(store, types);
        foreach (var item in list["items"]!.AsArray().OfType<JsonObject>())
        {
            collector.Delete(request.Type, item, "Background");
        }
        return list;
    }

    private static void CheckKind(ResourceType type, JsonObject body)
    {
        var kind = body["kind"]?.GetValue<string>();
        var apiVersion = body["apiVersion"]?.GetValue<string>();
        if ((kind is not null && kind != type.Kind) || (apiVersion is not null && apiVersion != type.ApiVersion))
        {
            throw ApiStatusException.BadRequest($"the API version in the data ({apiVersion}) and kind ({kind}) do not match the resource {type.ApiVersion} {type.Kind}");
        }
    }

    private static void ValidateName(ResourceType type, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw ApiStatusException.Invalid($"{type.Kind} is invalid: metadata.name: Required value: name or generateName is required");
        }
        if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            throw ApiStatusException.Invalid($"{type.Kind} \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
        }
    }

    /// <summary>The field manager of an update: <c>fieldManager</c>, else the user agent's first word, as the API server defaults it.</summary>
    private static string Manager(HttpContext http) =>
        http.Request.Query["fieldManager"] is [{ Length: > 0 } m] ? m : http.Request.Headers.UserAgent.ToString().Split('/')[0] is { Length: > 0 } agent ? agent : "unknown";

    private static async Task<JsonObject> BodyAsync(HttpContext http)
    {
        var text = await ReadAsync(http.Request);
        if (text.Trim().Length == 0)
        {
            return [];
        }
        try
        {
            var node = http.Request.ContentType?.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal) == true
                ? YamlJson.ParseAll(text).SingleOrDefault()
                : JsonNode.Parse(text);
            return node switch
            {
                JsonObject o => o,
                JsonArray a => new JsonObject { ["operations"] = a },
                _ => throw ApiStatusException.BadRequest("the request body must be an object"),
            };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            throw ApiStatusException.BadRequest($"error decoding the request body: {e.Message}");
        }
    }

    private static async Task<string> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new ApiStatusException(413, "RequestEntityTooLarge", $"the request body is larger than {MaxBodyBytes} bytes");
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new ApiStatusException(413, "RequestEntityTooLarge", $"the request body is larger than {MaxBodyBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
