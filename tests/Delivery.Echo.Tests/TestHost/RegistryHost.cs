using System.Net;
using Delivery.Echo.Index;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Echo.Tests.TestHost;

/// <summary>
/// The standalone host listening on a free 127.0.0.1 port (Kestrel, since the registry posts over a real socket)
/// and a <see cref="DockerRegistry"/> whose notifications go to echo's <c>POST /webhooks/docker/{account}</c>.
/// </summary>
public sealed class RegistryHost : IAsyncLifetime
{
    /// <summary>The account the registry's notifications are posted for.</summary>
    public const string Account = "test-registry";

    private EchoFactory? factory;

    public DockerRegistry Registry { get; private set; } = null!;

    public DeliveryClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        factory = new EchoFactory();
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Client = new DeliveryClient(new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) }, factory.Services.GetRequiredService<TriggerIndex>());
        Registry = await DockerRegistry.StartAsync(new Uri(address, $"/webhooks/docker/{Account}").ToString());
    }

    public async Task DisposeAsync()
    {
        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }
        Client?.Http.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
    }
}
