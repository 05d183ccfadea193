using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Manifests;

namespace Delivery.Clouddriver.Kubernetes.Tests.TestHost;

/// <summary>Files of the checkout under test: deploy/'s manifests.</summary>
public static class RepositoryFiles
{
    /// <summary>The repository root (the folder of Delivery.sln above the test's output).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The folder of the Kubernetes manifests.</summary>
    public static string Deploy => Path.Combine(Root, "deploy");

    /// <summary>Every manifest of deploy/*.yaml, as JSON.</summary>
    public static List<JsonObject> DeployManifests() =>
        [.. Directory.GetFiles(Deploy, "*.yaml").Order(StringComparer.Ordinal).SelectMany(f => YamlJson.ParseAll(File.ReadAllText(f))).Select(d => d!.AsObject())];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Delivery.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Delivery.sln above {AppContext.BaseDirectory}.");
    }
}
