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

    // A singleton, resolved at the first reply: it needs the bus, which is being built when this runs.
    private static void AddConsumer<TReply>(IServiceProvider services, IReceiveEndpointConfigurator endpoint) where TReply : class =>
        endpoint.Consumer(services.GetRequiredService<TaskCallbackConsumer<TReply>>);
}
