using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Delivery.Clouddriver.Kubernetes.Manifests;

/// <summary>
/// Versioned manifests (Clouddriver's KubernetesVersionedArtifactConverter): <c>{name}-v{NNN}</c>, the sequence one past the
/// highest existing version of the same name; a workload's references to ConfigMaps and Secrets deployed (versioned) in the
/// same deploy are rewritten to the new versions' names.
/// </summary>
public static partial class Versioning
{
    /// <summary>Whether the manifest is versioned: its annotation, else its kind's default.</summary>
    public static bool IsVersioned(JsonObject manifest) =>
        SpinnakerMetadata.Annotation(manifest, SpinnakerMetadata.Versioned) is { } flag
            ? flag.Equals("true", StringComparison.OrdinalIgnoreCase)
            : SpinnakerMetadata.VersionedByDefault.Contains(SpinnakerMetadata.Kind(manifest));

    /// <summary>The name with a version suffix.</summary>
    public static string VersionedName(string name, int sequence) => $"{name}-v{sequence.ToString("000", CultureInfo.InvariantCulture)}";

    /// <summary>The version of <paramref name="name"/> that <paramref name="existing"/> is, or null when it is not a version of it.</summary>
    public static int? SequenceOf(string name, string existing)
    {
        var match = Suffix().Match(existing);
        return match.Success && existing[..match.Index] == name ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The name without its version suffix.</summary>
    public static string BaseName(string name) => Suffix().Match(name) is { Success: true } m ? name[..m.Index] : name;

    /// <summary>
    /// Rewrites a workload's ConfigMap and Secret references (volumes, projected volumes, env, envFrom) whose names are keys
    /// of <paramref name="configMaps"/> / <paramref name="secrets"/> to their versioned names.
    /// </summary>
    public static void RewriteReferences(JsonObject manifest, IReadOnlyDictionary<string, string> configMaps, IReadOnlyDictionary<string, string> secrets)
    {
        if (SpinnakerMetadata.PodSpec(manifest) is not { } spec || (configMaps.Count == 0 && secrets.Count == 0))
        {
            return;
        }
        static void Rename(JsonNode? holder, string key, IReadOnlyDictionary<string, string> names)
        {
            if (holder is JsonObject o && o[key]?.GetValue<string>() is { } name && names.TryGetValue(name, out var versioned))
            {
                o[key] = versioned;
            }
        }
        foreach (var volume in spec["volumes"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            Rename(volume["configMap"], "name", configMaps);
            Rename(volume["secret"], "secretName", secrets);
            foreach (var source in volume["projected"]?["sources"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                Rename(source["configMap"], "name", configMaps);
                Rename(source["secret"], "name", secrets);
            }
        }
        var containers = (spec["containers"]?.AsArray() ?? []).Concat(spec["initContainers"]?.AsArray() ?? []).OfType<JsonObject>();
        foreach (var container in containers)
        {
            foreach (var env in container["env"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                Rename(env["valueFrom"]?["configMapKeyRef"], "name", configMaps);
                Rename(env["valueFrom"]?["secretKeyRef"], "name", secrets);
            }
            foreach (var from in container["envFrom"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                Rename(from["configMapRef"], "name", configMaps);
                Rename(from["secretRef"], "name", secrets);
            }
        }
    }

    [GeneratedRegex("-v(\\d{3,})$")]
    private static partial Regex Suffix();
}
