using System.Security.Cryptography;

namespace Delivery.Integration.Tests.Clouddriver;

/// <summary>
/// One Delivery service host (<c>dotnet Delivery.Gate.Host.dll</c>, <c>Delivery.Orchestrator.Host.dll</c>,
/// <c>Delivery.Clouddriver.Host.dll</c>) on a free port of 127.0.0.1, configured through environment variables as a
/// deployment would be. The hosts are not referenced by this project, so <see cref="LocateAsync"/> builds one whose
/// copy of Delivery's libraries differs from the ones this test assembly was built with.
/// </summary>
public sealed class ServiceProcess : DeliveryProcess
{
    private static readonly SemaphoreSlim Building = new(1, 1);

    private ServiceProcess(string name, string dll, IReadOnlyDictionary<string, string> settings, string logDirectory)
        : base(name, dll, settings, logDirectory)
    {
    }

    /// <summary>Starts <paramref name="dll"/> with <paramref name="settings"/> as <c>Delivery__...</c> style environment variables.</summary>
    public static ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string> settings, string logDirectory) =>
        new(name, dll, settings, logDirectory);

    /// <summary>
    /// <c>{project}/bin/{Configuration}/{framework}/{assembly}.dll</c> under the repository, built first when it is missing
    /// or its Delivery libraries are not the ones this test run uses.
    /// </summary>
    public static async Task<string> LocateAsync(string projectDirectory, string assembly)
    {
        var project = Path.Combine(Repository, projectDirectory);
        var output = BuildOutput(projectDirectory);
        var dll = Path.Combine(output, assembly + ".dll");
        await Building.WaitAsync();
        try
        {
            if (!File.Exists(dll) || Stale(output))
            {
                var (exitCode, log) = await ChildProcess.RunAsync(Dotnet, ["build", project, "-c", Configuration, "--nologo", "-v", "q"],
                    new Dictionary<string, string?>(), TimeSpan.FromMinutes(8));
                if (exitCode != 0 || !File.Exists(dll))
                {
                    throw new InvalidOperationException($"Building {projectDirectory} failed ({exitCode}):\n{log}");
                }
            }
        }
        finally
        {
            Building.Release();
        }
        return dll;
    }

    /// <summary>Whether a Delivery library in <paramref name="output"/> differs from this test run's copy of it.</summary>
    private static bool Stale(string output) =>
        Directory.EnumerateFiles(output, "Delivery.*.dll").Any(built =>
        {
            var ours = Path.Combine(AppContext.BaseDirectory, Path.GetFileName(built));
            return File.Exists(ours) && !SHA256.HashData(File.ReadAllBytes(ours)).AsSpan().SequenceEqual(SHA256.HashData(File.ReadAllBytes(built)));
        });
}
