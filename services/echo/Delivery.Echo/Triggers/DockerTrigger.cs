using System.Text.Json.Nodes;
using Delivery.Echo.Index;
using Microsoft.Extensions.Logging;

namespace Delivery.Echo.Triggers;

/// <summary>One image tag pushed to a registry, from either notification format.</summary>
public sealed record ImagePush(string Repository, string Tag, string? Digest, string? Registry, string EventId);

/// <summary>
/// Spinnaker's <c>docker</c> trigger (Echo's <c>DockerEventHandler</c>): fires when <c>repository</c> (compared
/// whole, as a regex, so a plain name matches itself) and <c>tag</c> (a regex matched whole; empty matches every tag
/// but <c>latest</c>, as in Echo) match a pushed image, and
/// <c>account</c>, when set, names the account the notification was posted for. <c>trigger.tag</c>,
/// <c>trigger.repository</c>, <c>trigger.digest</c> and <c>trigger.registry</c> describe the image.
/// </summary>
public static class DockerTrigger
{
    public const string Type = "docker";

    /// <summary>
    /// The pushes a notification body describes: a Docker Registry v2 envelope (<c>events[]</c> with
    /// <c>action == "push"</c> and a tagged <c>target</c>; blob pushes and pulls carry no tag and are ignored)
    /// or a Docker Hub webhook (<c>push_data.tag</c>, <c>repository.repo_name</c>). Null and the problem when
    /// the body is neither.
    /// </summary>
    public static (IReadOnlyList<ImagePush>? Pushes, string? Problem) Parse(string account, JsonObject body)
    {
        if (body["events"] is JsonNode events)
        {
            if (events is not JsonArray list)
            {
                return (null, "'events' must be an array of registry notification events.");
            }
            var pushes = new List<ImagePush>();
            foreach (var node in list)
            {
                if (node is not JsonObject e || e["target"] is not JsonObject target)
                {
                    return (null, "Every registry event must be an object with a 'target' object.");
                }
                if (TriggerIndex.Text(e["action"]) != "push" || TriggerIndex.Text(target["tag"]) is not { } tag)
                {
                    continue;
                }
                if (TriggerIndex.Text(target["repository"]) is not { } repository)
                {
                    return (null, "A push event's target has no 'repository'.");
                }
                var digest = TriggerIndex.Text(target["digest"]);
                var eventId = digest is not null
                    ? $"docker:{account}:{repository}:{tag}:{digest}"
                    : $"docker:{account}:{TriggerIndex.Text(e["id"]) ?? Guid.NewGuid().ToString("N")}";
                pushes.Add(new ImagePush(repository, tag, digest, TriggerIndex.Text(e["request"]?["host"]), eventId));
            }
            return (pushes, null);
        }
        if (body["push_data"] is JsonObject pushData && body["repository"] is JsonObject repo)
        {
            var tag = TriggerIndex.Text(pushData["tag"]);
            var repository = TriggerIndex.Text(repo["repo_name"]);
            if (tag is null || repository is null)
            {
                return (null, "A Docker Hub webhook needs 'push_data.tag' and 'repository.repo_name'.");
            }
            var pushedAt = pushData["pushed_at"]?.ToJsonString() ?? Guid.NewGuid().ToString("N");
            return ([new ImagePush(repository, tag, null, "index.docker.io", $"docker:{account}:{repository}:{tag}:{pushedAt}")], null);
        }
        return (null, "The body is neither a Docker Registry notification envelope ('events') nor a Docker Hub webhook ('push_data', 'repository').");
    }

    /// <summary>True when <paramref name="trigger"/> fires for <paramref name="push"/> posted for <paramref name="account"/>.</summary>
    public static bool Matches(IndexedTrigger trigger, string account, ImagePush push, ILogger logger)
    {
        if (trigger.Field("account") is { } wanted && !string.Equals(wanted, account, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (trigger.Field("repository") is not { } repository
            || !(string.Equals(repository, push.Repository, StringComparison.OrdinalIgnoreCase) || Patterns.FullMatch(repository, push.Repository, logger)))
        {
            return false;
        }
        return trigger.Field("tag")?.Trim() is { Length: > 0 } tag ? Patterns.FullMatch(tag, push.Tag, logger) : push.Tag != "latest";
    }

    /// <summary>The execution's trigger, with the image and a <c>docker/image</c> artifact for it.</summary>
    public static JsonObject TriggerOf(IndexedTrigger trigger, string account, ImagePush push)
    {
        var result = (JsonObject)trigger.Trigger.DeepClone();
        var name = push.Registry is { } registry ? $"{registry}/{push.Repository}" : push.Repository;
        result["type"] = Type;
        result["account"] = account;
        result["repository"] = push.Repository;
        result["tag"] = push.Tag;
        result["digest"] = push.Digest;
        result["registry"] = push.Registry;
        result["artifacts"] = new JsonArray(new JsonObject
        {
            ["type"] = "docker/image",
            ["name"] = name,
            ["version"] = push.Tag,
            ["reference"] = push.Digest is { } digest ? $"{name}@{digest}" : $"{name}:{push.Tag}",
        });
        return result;
    }
}
