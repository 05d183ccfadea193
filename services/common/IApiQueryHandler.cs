using Delivery.Contracts.Api;

namespace Delivery.ServiceDefaults;

/// <summary>
/// Answers a read-only gate request (<c>GetExecution</c>, <c>GetApplications</c> ...) by a direct call,
/// for a gate hosted in the same process as the service that owns the data (standalone, or a replica
/// running both). The same service also answers the request on the bus, for a gate on its own.
/// </summary>
/// <remarks>
/// Reads are the API's hot path (a UI polls executions), and going through MassTransit's mediator
/// cost each of them a request client, a response handle, a retry filter and a scope: about half of
/// the server CPU of a <c>GET /pipelines/{id}</c> (docs/PERFORMANCE.md). Commands keep going through
/// the mediator or the bus, where retries and the engine's ordering apply.
/// </remarks>
/// <typeparam name="TQuery">The request message, from <c>Delivery.Contracts.Api</c>.</typeparam>
public interface IApiQueryHandler<in TQuery> where TQuery : class
{
    /// <summary>The answer to <paramref name="query"/>; throws what the store throws when it is unreachable.</summary>
    Task<ApiReply> AnswerAsync(TQuery query, CancellationToken cancellationToken);
}
