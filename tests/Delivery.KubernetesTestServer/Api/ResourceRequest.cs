using Delivery.KubernetesTestServer.Json;
using Delivery.KubernetesTestServer.Storage;

namespace Delivery.KubernetesTestServer.Api;

/// <summary>A request's target: <c>/api/v1/namespaces/{ns}/pods/{name}/status</c> and the like.</summary>
internal sealed record ResourceRequest(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Parses a resource path; null when it is not one; 404 for an unknown resource.</summary>
    public static ResourceRequest? Parse(ResourceTypes types, string[] segments)
    {
        string group, version;
        string[] rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], segments[2..]);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else
        {
            return null;
        }
        if (rest.Length >= 3 && rest[0] == "namespaces" && types.Find(group, version, rest[2]) is { Namespaced: true } namespaced)
        {
            return rest.Length <= 5 ? new(namespaced, rest[1], rest.ElementAtOrDefault(3), rest.ElementAtOrDefault(4)) : null;
        }
        var type = types.Find(group, version, rest[0])
            ?? throw ApiStatusException.NotFound("the server could not find the requested resource", rest[0]);
        return rest.Length <= 3 ? new(type, null, rest.ElementAtOrDefault(1), rest.ElementAtOrDefault(2)) : null;
    }
}
