using Delivery.Clouddriver.Kubernetes.Contracts;
using Delivery.Orchestrator.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Clouddriver.Kubernetes.Stages;

/// <summary><c>deployManifest</c>: one task that deploys and waits until stable.</summary>
internal sealed class DeployManifestStage : IStageDefinition
{
    public string Type => "deployManifest";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("deployManifest", "deployManifestTask")];
}

/// <summary>A stage on one live manifest (<see cref="ManifestOperationTask.Actions"/> lists them).</summary>
internal sealed class ManifestOperationStage(string type) : IStageDefinition
{
    public string Type => type;

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new(type, "manifestOperationTask")];
}

public static class KubernetesStagesExtensions
{
    /// <summary>
    /// Adds the Kubernetes stage types (<c>deployManifest</c>, <c>deleteManifest</c>, <c>scaleManifest</c>, <c>patchManifest</c>,
    /// <c>undoRolloutManifest</c>, <c>pauseRolloutManifest</c>, <c>resumeRolloutManifest</c>, <c>rollingRestartManifest</c>,
    /// <c>disableManifest</c>, <c>enableManifest</c>, <c>findArtifactsFromResource</c>) to an orchestrator host. Their replies (<c>OperationCompleted</c>) wake
    /// them through the callback <c>AddClouddriverStages()</c> registers, which the host must also call.
    /// </summary>
    public static IServiceCollection AddKubernetesStages(this IServiceCollection services)
    {
        services.AddTaskMessage<DeployManifest>().AddTaskMessage<ManifestOperation>();
        services.AddStage<DeployManifestStage>(t => t.AddTask<DeployManifestTask>());
        services.AddTask<ManifestOperationTask>();
        foreach (var type in ManifestOperationTask.Actions.Keys)
        {
            services.AddSingleton<IStageDefinition>(new ManifestOperationStage(type));
        }
        return services;
    }
}
