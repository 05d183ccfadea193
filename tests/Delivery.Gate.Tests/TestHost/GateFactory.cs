using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Gate.Tests.TestHost;

/// <summary>
/// The standalone host (gate and orchestrator over the in-memory bus and stores) inside the test
/// process, so every test goes through gate's HTTP API exactly as a user's script would.
/// </summary>
public class GateFactory : WebApplicationFactory<Program>
{
    private readonly IDictionary<string, string?>? settings;
    private readonly Action<IServiceCollection>? configure;

    /// <summary>The host with its default settings (xunit class fixtures need one public constructor).</summary>
    public GateFactory()
    {
    }

    /// <summary>A host with extra settings and service overrides, for fixtures derived from this one.</summary>
    protected GateFactory(IDictionary<string, string?>? settings, Action<IServiceCollection>? configure = null)
    {
        this.settings = settings;
        this.configure = configure;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Delivery:Bus:Transport", "InMemory");
        builder.UseSetting("Delivery:Store:Kind", "InMemory");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        if (configure is not null)
        {
            builder.ConfigureServices(configure);
        }
    }

    public GateClient CreateGateClient() => new(CreateClient());
}
