using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>
/// Plugs stage types, tasks and callbacks into the orchestrator from any assembly. Call these on the services of a
/// host that runs the orchestrator (<c>AddOrchestrator()</c>), before or after it.
/// </summary>
public static class OrchestratorServiceCollectionExtensions
{
    /// <summary>Adds a stage type (a singleton). Its <see cref="IStageDefinition.Type"/> must be unique.</summary>
    public static IServiceCollection AddStage<TStage>(this IServiceCollection services) where TStage : class, IStageDefinition
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageDefinition, TStage>());
        return services;
    }

    /// <summary>Adds a stage type and, through <paramref name="tasks"/>, the tasks it plans.</summary>
    public static IServiceCollection AddStage<TStage>(this IServiceCollection services, Action<StageTasks> tasks) where TStage : class, IStageDefinition
    {
        services.AddStage<TStage>();
        tasks(new StageTasks(services));
        return services;
    }

    /// <summary>Adds a task (a singleton). Its <see cref="IStageTask.Name"/> must be unique.</summary>
    public static IServiceCollection AddTask<TTask>(this IServiceCollection services) where TTask : class, IStageTask
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageTask, TTask>());
        return services;
    }

    /// <summary>
    /// Lets tasks publish <typeparamref name="TMessage"/> through <see cref="TaskResult.Messages"/> (and stage types
    /// through <see cref="IStageDefinition.OnCancel"/>).
    /// </summary>
    public static IServiceCollection AddTaskMessage<TMessage>(this IServiceCollection services) where TMessage : class
    {
        if (!services.Any(d => d.ImplementationInstance is TaskMessageType t && t.MessageType == typeof(TMessage)))
        {
            services.AddSingleton(new TaskMessageType(typeof(TMessage)));
        }
        return services;
    }

    /// <summary>
    /// Makes replies of type <typeparamref name="TReply"/> wake the task they answer: the orchestrator consumes them,
    /// keeps <paramref name="payload"/> (by default the whole reply) under the target's key with the task, and runs the
    /// task at once. A reply whose target is null, whose task is no longer waiting, or whose key was delivered before,
    /// is dropped (logged). Replies are consumed by every orchestrator replica's shared queue, so each is handled once.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="target">The task a reply wakes, from the correlation the task put in its command; null to ignore the reply.</param>
    /// <param name="payload">What the task receives; at most <see cref="TaskCallbacks.MaxPayloadBytes"/> as JSON.</param>
    /// <exception cref="InvalidOperationException"><typeparamref name="TReply"/> already has a callback.</exception>
    public static IServiceCollection AddTaskCallback<TReply>(this IServiceCollection services, Func<TReply, TaskCallbackTarget?> target, Func<TReply, JsonNode?>? payload = null)
        where TReply : class
    {
        ArgumentNullException.ThrowIfNull(target);
        if (services.Any(d => d.ServiceType == typeof(TaskCallbackRegistration<TReply>)))
        {
            throw new InvalidOperationException($"{typeof(TReply).FullName} already has a task callback.");
        }
        var registration = new TaskCallbackRegistration<TReply>(target, payload);
        services.AddSingleton(registration);
        services.AddSingleton<TaskCallbackRegistration>(registration);
        return services;
    }
}
