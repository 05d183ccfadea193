using Delivery.CanaryJudge.Stages.Stages;
using Delivery.CanaryJudge.Stages.Tasks;
using Delivery.Clouddriver.Stages;
using Delivery.Contracts.CanaryJudge;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.CanaryJudge.Stages;

/// <summary>Plugs the canary stages into an orchestrator host.</summary>
public static class CanaryJudgeStagesExtensions
{
    /// <summary>
    /// Adds <c>kayentaCanary</c> and <c>analysis</c>, lets their tasks send <see cref="JudgeCanaryInterval"/> and
    /// <see cref="MeasureMetrics"/> to canary-judge and wakes them with <see cref="CanaryIntervalJudged"/> and <see cref="MetricsMeasured"/>. The stage deploys and cleans up through the clouddriver stages, which
    /// are added too when the host has not added them yet. Call on a host that runs the orchestrator.
    /// </summary>
    public static IServiceCollection AddCanaryJudgeStages(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TaskCallbackRegistration<OperationCompleted>)))
        {
            services.AddClouddriverStages();
        }
        services.AddTaskMessage<JudgeCanaryInterval>();
        services.AddTaskCallback<CanaryIntervalJudged>(r =>
            r is { ExecutionId: { } e, StageId: { } s, TaskId: { } t } ? new TaskCallbackTarget(e, s, t, r.JudgementId) : null);
        services.AddStage<KayentaCanaryStage>(t => t.AddTask<PrepareCanaryTrafficTask>().AddTask<DeployCanaryServerGroupsTask>().AddTask<RunCanaryIntervalsTask>());
        services.AddTaskMessage<MeasureMetrics>();
        services.AddTaskCallback<MetricsMeasured>(r =>
            r is { ExecutionId: { } e, StageId: { } s, TaskId: { } t } ? new TaskCallbackTarget(e, s, t, r.MeasurementId) : null);
        services.AddStage<AnalysisStage>(t => t.AddTask<RunAnalysisTask>());
        return services;
    }
}
