using Delivery.Echo.Index;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Echo.Tests.TestHost;

/// <summary>
/// The standalone host (gate, orchestrator and echo over the in-memory bus) in the test process, with extra
/// settings; every test saves pipelines and calls echo through HTTP as a user's CI or registry would.
/// </summary>
public class EchoFactory : WebApplicationFactory<Program>
{
    private readonly IDictionary<string, string?>? settings;

    /// <summary>The host with default settings (for xunit class fixtures, which need one public constructor).</summary>
    public EchoFactory()
    {
    }

    /// <summary>A host with extra settings, for fixtures derived from this one.</summary>
    protected EchoFactory(IDictionary<string, string?> settings) => this.settings = settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Delivery:Bus:Transport", "InMemory");
        builder.UseSetting("Delivery:Store:Kind", "InMemory");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Delivery:Echo:Webhooks:signed:Secret", WebhookSecret);
        builder.UseSetting("Delivery:Echo:MaxBodyBytes", "4096");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The secret of webhook source <c>signed</c>.</summary>
    public const string WebhookSecret = "s3cret-for-tests";

    public DeliveryClient Client() => new(CreateClient(), Services.GetRequiredService<TriggerIndex>());
}
