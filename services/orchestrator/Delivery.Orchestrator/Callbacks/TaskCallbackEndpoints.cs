using System.Reflection;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Orchestrator.Callbacks;

/// <summary>
/// Puts a <see cref="TaskCallbackConsumer{TReply}"/> for every reply type registered with <c>AddTaskCallback</c> on
/// the orchestrator's queue. Done when the bus is built, from the built service provider, so a plug-in may register
/// its callbacks before or after the orchestrator and the bus.
/// </summary>
internal static class TaskCallbackEndpoints
{
    private static readonly MethodInfo AddConsumerMethod =
        typeof(TaskCallbackEndpoints).GetMethod(nameof(AddConsumer), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static void Configure(IServiceProvider services, IReceiveEndpointConfigurator endpoint)
    {
        foreach (var registration in services.GetServices<TaskCallbackRegistration>())
        {
            AddConsumerMethod.MakeGenericMethod(registration.ReplyType).Invoke(null, [services, endpoint]);
        }
    }

    private static void AddConsumer<TReply>(IServiceProvider services, IReceiveEndpointConfigurator endpoint) where TReply : class
    {
        // Stateless: one instance serves every reply. Created on the first reply, not here: the engine it needs depends
        // on the bus being built right now, and resolving it here deadlocks the host's start.
        var consumer = new Lazy<TaskCallbackConsumer<TReply>>(() => ActivatorUtilities.CreateInstance<TaskCallbackConsumer<TReply>>(services));
        endpoint.Consumer(() => consumer.Value);
    }
}
