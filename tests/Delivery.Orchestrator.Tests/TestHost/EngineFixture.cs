namespace Delivery.Orchestrator.Tests.TestHost;

/// <summary>One standalone host with the test stages, shared by the engine tests (each test uses its own pipeline names).</summary>
public sealed class EngineFixture : IDisposable
{
    public StandaloneFactory Factory { get; } = new(TestStages.Register);

    public DeliveryClient Client { get; }

    public EngineFixture() => Client = Factory.CreateDeliveryClient();

    public void Dispose() => Factory.Dispose();
}

[CollectionDefinition(nameof(EngineCollection))]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>;
