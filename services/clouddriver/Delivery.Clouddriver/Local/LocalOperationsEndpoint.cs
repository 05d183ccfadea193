using Delivery.Clouddriver.Operations;
using MassTransit;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// The queue of local operations (<see cref="ClouddriverExtensions.LocalQueue"/>): replicas that do not host the local
/// cloud forward local commands to it, and only the host consumes it, so its commands wait there while no replica
/// hosts the cloud (a dead host's unacknowledged ones go back to it) and are run by the next host.
/// </summary>
public sealed class LocalOperationsEndpoint(IReceiveEndpointConnector connector)
{
    private readonly SemaphoreSlim _sync = new(1, 1);
    private HostReceiveEndpointHandle? _handle;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _sync.WaitAsync(cancellationToken);
        try
        {
            if (_handle is not null)
            {
                return;
            }
            _handle = connector.ConnectReceiveEndpoint(ClouddriverExtensions.LocalQueue, (context, e) =>
            {
                // Only forwarded commands belong here: bound to the commands' exchanges, it would get a second copy of each published one.
                e.ConfigureConsumeTopology = false;
                foreach (var type in ClouddriverExtensions.OperationTypes)
                {
                    e.ConfigureConsumer(context, typeof(OperationConsumer<>).MakeGenericType(type));
                }
            });
            await _handle.Ready.WaitAsync(cancellationToken);
        }
        finally
        {
            _sync.Release();
        }
    }

    public async Task DisconnectAsync()
    {
        await _sync.WaitAsync();
        try
        {
            if (_handle is { } handle)
            {
                _handle = null;
                await handle.StopAsync();
            }
        }
        finally
        {
            _sync.Release();
        }
    }
}
