using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Orchestrator.Tests.TestHost;

/// <summary>The standalone host (gate + orchestrator, in-memory bus and stores) in the test process.</summary>
public sealed class StandaloneFactory(Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public StandaloneFactory() : this(null, null)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Delivery:Bus:Transport", "InMemory");
        builder.UseSetting("Delivery:Store:Kind", "InMemory");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        if (configure is not null)
        {
            builder.ConfigureServices(configure);
        }
    }

    public DeliveryClient CreateDeliveryClient() => new(CreateClient());
}
