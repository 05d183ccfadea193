using Delivery.Orchestrator.Tests.TestHost;
using Delivery.Orchestrator.TestPlugin;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Orchestrator.PluginTests.TestHost;

/// <summary>
/// The standalone host with the <c>fakeOperation</c> stage plugged in from its own assembly (after the host
/// registered the orchestrator and the bus, as a test host does), and the fake external service on the same bus.
/// </summary>
public sealed class PluginFixture : IAsyncLifetime
{
    private HostReceiveEndpointHandle? _externalService;

    public StandaloneFactory Factory { get; } = new(services => services.AddFakeOperationStage());

    public DeliveryClient Client { get; private set; } = null!;

    public FakeOperationRuns Runs => Factory.Services.GetRequiredService<FakeOperationRuns>();

    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync()
    {
        Client = Factory.CreateDeliveryClient();
        // The other service runs beside the orchestrator, on its own queue of the same bus.
        var connector = Factory.Services.GetRequiredService<IReceiveEndpointConnector>();
        _externalService = connector.ConnectReceiveEndpoint(FakeExternalService.Queue, (_, e) => e.Consumer<FakeExternalService>());
        await _externalService.Ready;
    }

    public async Task DisposeAsync()
    {
        if (_externalService is not null)
        {
            await _externalService.StopAsync();
        }
        await Factory.DisposeAsync();
    }
}

[CollectionDefinition(nameof(PluginCollection))]
public sealed class PluginCollection : ICollectionFixture<PluginFixture>;
