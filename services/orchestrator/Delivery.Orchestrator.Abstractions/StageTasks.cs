using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>Adds the tasks of a stage type registered with <see cref="OrchestratorServiceCollectionExtensions.AddStage{TStage}(IServiceCollection, Action{StageTasks})"/>.</summary>
public sealed class StageTasks
{
    private readonly IServiceCollection _services;

    internal StageTasks(IServiceCollection services) => _services = services;

    /// <summary>Adds a task (see <see cref="OrchestratorServiceCollectionExtensions.AddTask{TTask}"/>).</summary>
    public StageTasks AddTask<TTask>() where TTask : class, IStageTask
    {
        _services.AddTask<TTask>();
        return this;
    }
}
