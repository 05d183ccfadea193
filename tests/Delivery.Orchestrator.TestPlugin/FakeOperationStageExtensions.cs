using Delivery.Orchestrator.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Orchestrator.TestPlugin;

public static class FakeOperationStageExtensions
{
    /// <summary>Plugs the <c>fakeOperation</c> stage into an orchestrator host.</summary>
    public static IServiceCollection AddFakeOperationStage(this IServiceCollection services)
    {
        services.AddSingleton<FakeOperationRuns>();
        services.AddStage<FakeOperationStage>(t => t.AddTask<RunFakeOperationTask>());
        services.AddTaskMessage<StartFakeOperation>();
        services.AddTaskCallback<FakeOperationCompleted>(reply => new TaskCallbackTarget(reply.ExecutionId, reply.StageId, reply.TaskId, reply.OperationId));
        return services;
    }
}
