using System.Reflection;

namespace Delivery.Ui.Tests.TestHost;

/// <summary>Paths in the repository this test project was built from.</summary>
public static class Repo
{
    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string Root { get; } = Metadata("RepoRoot");

    /// <summary>The web UI's sources (ui/).</summary>
    public static string Ui { get; } = Path.Combine(Root, "ui");

    /// <summary>The built UI, as services/standalone's build leaves it.</summary>
    public static string UiDist { get; } = Path.Combine(Ui, "dist");

    /// <summary>Where the browser tests leave the screenshots the README links.</summary>
    public static string Screenshots { get; } = Path.Combine(Root, "docs", "screenshots");

    /// <summary>samples/hello, built with this project, deployed by the clusters test.</summary>
    public static string HelloDll { get; } = Path.GetFullPath(Metadata("HelloDll"));
}
