namespace Delivery.Clouddriver.Tests.TestHost;

/// <summary>One clouddriver host shared by the tests of a collection; each test uses its own application name.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public ClouddriverHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ClouddriverHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LocalCloudCollection : ICollectionFixture<HostFixture>
{
    public const string Name = "local cloud";
}
