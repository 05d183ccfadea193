namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>
/// One <c>dotnet Delivery.Standalone.dll</c> process (gate + orchestrator) on a free port, configured
/// through environment variables as a deployment would be.
/// </summary>
public sealed class StandaloneProcess : DeliveryProcess
{
    private static readonly Lazy<string> Dll = new(LocateDll);

    private StandaloneProcess(string name, IReadOnlyDictionary<string, string> settings, string logDirectory)
        : base(name, Dll.Value, settings, logDirectory)
    {
        Client = new DeliveryClient(Http);
    }

    public DeliveryClient Client { get; }

    /// <summary>Starts the process with <paramref name="settings"/> as <c>Delivery__...</c> style environment variables.</summary>
    public static StandaloneProcess Start(string name, IReadOnlyDictionary<string, string> settings, string logDirectory) =>
        new(name, settings, logDirectory);

    /// <summary>
    /// services/standalone/bin/CONFIGURATION/net10.0/Delivery.Standalone.dll of this repository, built by
    /// the project reference with the configuration of this test assembly.
    /// </summary>
    private static string LocateDll()
    {
        var dll = Path.Combine(BuildOutput(Path.Combine("services", "standalone")), "Delivery.Standalone.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} does not exist: build services/standalone with -c {Configuration}.", dll);
        }
        return dll;
    }
}
