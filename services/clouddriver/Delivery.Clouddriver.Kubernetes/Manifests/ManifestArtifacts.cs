using System.Text.Json.Nodes;

namespace Delivery.Clouddriver.Kubernetes.Manifests;

/// <summary>
/// Spinnaker's artifacts of Kubernetes objects: the artifact a deployed manifest is (Clouddriver's ArtifactConverter:
/// <c>kubernetes/{kind}</c>, name without the version, location = namespace, version <c>vNNN</c> or empty), recorded on the
/// object and its pod template as <c>artifact.spinnaker.io/{name,type,location,version}</c> (KubernetesManifestAnnotater); and
/// the artifacts a live manifest uses (ArtifactReplacer's findAll: <c>docker/image</c> of its containers,
/// <c>kubernetes/configMap</c> and <c>kubernetes/secret</c> it references), which <c>findArtifactsFromResource</c> outputs.
/// </summary>
public static class ManifestArtifacts
{
    public const string Name = "artifact.spinnaker.io/name";
    public const string Type = "artifact.spinnaker.io/type";
    public const string Location = "artifact.spinnaker.io/location";
    public const string Version = "artifact.spinnaker.io/version";

    /// <summary>The artifact a manifest becomes when deployed; <paramref name="sequence"/> is its version when versioned.</summary>
    /// <param name="name">The manifest's name as given (without a version suffix).</param>
    public static JsonObject Of(JsonObject manifest, string name, string account, string? ns, int? sequence)
    {
        var version = sequence is { } s ? "v" + s.ToString("000", System.Globalization.CultureInfo.InvariantCulture) : "";
        return new JsonObject
        {
            ["type"] = $"kubernetes/{SpinnakerMetadata.KindName(SpinnakerMetadata.Kind(manifest))}",
            ["name"] = name,
            ["location"] = ns ?? "",
            ["version"] = version,
            ["reference"] = sequence is { } v ? Versioning.VersionedName(name, v) : name,
            ["metadata"] = new JsonObject { ["account"] = account },
        };
    }

    /// <summary>Records the artifact on the manifest and its pod template.</summary>
    public static void Annotate(JsonObject manifest, JsonObject artifact)
    {
        foreach (var metadata in SpinnakerMetadata.Metadatas(manifest))
        {
            var annotations = SpinnakerMetadata.Map(metadata, "annotations");
            annotations[Name] = artifact["name"]!.DeepClone();
            annotations[Type] = artifact["type"]!.DeepClone();
            annotations[Location] = artifact["location"]!.DeepClone();
            annotations[Version] = artifact["version"]!.DeepClone();
        }
    }

    /// <summary>The images, ConfigMaps and Secrets a live workload (or Pod) uses, each once, in the order they appear.</summary>
    public static JsonArray Used(JsonObject live)
    {
        var found = new List<JsonObject>();
        var ns = live["metadata"]?["namespace"]?.GetValue<string>() ?? "";
        void Add(string type, string? name, string reference, string location = "")
        {
            if (!string.IsNullOrEmpty(name) && !found.Any(a => a["type"]!.GetValue<string>() == type && a["reference"]!.GetValue<string>() == reference))
            {
                found.Add(new JsonObject { ["type"] = type, ["name"] = name, ["reference"] = reference, ["location"] = location });
            }
        }
        void Kubernetes(string kind, JsonNode? holder, string key)
        {
            if (holder?[key]?.GetValue<string>() is { Length: > 0 } referenced)
            {
                Add($"kubernetes/{kind}", Versioning.BaseName(referenced), referenced, ns);
            }
        }
        if (SpinnakerMetadata.PodSpec(live) is not { } spec)
        {
            return [];
        }
        var containers = (spec["initContainers"]?.AsArray() ?? []).Concat(spec["containers"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
        foreach (var image in containers.Select(c => c["image"]?.GetValue<string>()).OfType<string>())
        {
            Add("docker/image", ImageName(image), image);
        }
        foreach (var volume in spec["volumes"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            Kubernetes("configMap", volume["configMap"], "name");
            Kubernetes("secret", volume["secret"], "secretName");
            foreach (var source in volume["projected"]?["sources"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                Kubernetes("configMap", source["configMap"], "name");
                Kubernetes("secret", source["secret"], "name");
            }
        }
        foreach (var container in containers)
        {
            foreach (var env in container["env"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                Kubernetes("configMap", env["valueFrom"]?["configMapKeyRef"], "name");
                Kubernetes("secret", env["valueFrom"]?["secretKeyRef"], "name");
            }
            foreach (var from in container["envFrom"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                Kubernetes("configMap", from["configMapRef"], "name");
                Kubernetes("secret", from["secretRef"], "name");
            }
        }
        return new JsonArray([.. found]);
    }

    /// <summary>An image reference without its tag or digest (<c>registry:5000/web:1.2</c> -> <c>registry:5000/web</c>).</summary>
    public static string ImageName(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return image[..at];
        }
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[..colon] : image;
    }
}
