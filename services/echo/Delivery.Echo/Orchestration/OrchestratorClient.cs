using Delivery.Contracts.Api;
using MassTransit;
using MassTransit.Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delivery.Echo.Orchestration;

/// <summary>
/// Sends the orchestrator's public API requests (<see cref="TriggerPipeline"/>, <c>GetPipelineConfigs</c>,
/// <c>UpdateStage</c> ...) the way gate does: through the in-process mediator when the orchestrator runs in
/// this process (standalone), else over the bus.
/// </summary>
public sealed class OrchestratorClient(IServiceScopeFactory scopes, IOptions<EchoOptions> options)
{
    /// <summary>The orchestrator's answer; a timeout or fault becomes a refusal that says so, never an exception.</summary>
    public async Task<ApiReply> SendAsync<T>(T request, CancellationToken cancellationToken = default) where T : class
    {
        await using var scope = scopes.CreateAsyncScope();
        var client = scope.ServiceProvider.GetService<IScopedMediator>() is { } mediator
            ? mediator.CreateRequestClient<T>()
            : scope.ServiceProvider.GetRequiredService<IRequestClient<T>>();
        var timeout = options.Value.RequestTimeoutSeconds;
        try
        {
            return (await client.GetResponse<ApiReply>(request, cancellationToken, RequestTimeout.After(s: timeout))).Message;
        }
        catch (RequestException e) when (e is RequestTimeoutException || e.InnerException is MessageNotConsumedException)
        {
            return ApiReply.Conflict($"The orchestrator did not answer within {timeout} s.");
        }
        catch (RequestFaultException e)
        {
            return ApiReply.Conflict($"The orchestrator failed the request: {e.Fault?.Exceptions.FirstOrDefault()?.Message ?? e.Message}");
        }
    }

    /// <summary>Registers the request clients echo uses, for a host where the orchestrator is reached over the bus.</summary>
    internal static void AddRequestClients(IBusRegistrationConfigurator x)
    {
        x.AddRequestClient<GetApplications>();
        x.AddRequestClient<GetPipelineConfigs>();
        x.AddRequestClient<TriggerPipeline>();
        x.AddRequestClient<GetExecution>();
        x.AddRequestClient<Contracts.Orchestration.UpdateStage>();
    }
}
