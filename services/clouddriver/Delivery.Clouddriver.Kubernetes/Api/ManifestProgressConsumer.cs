using Delivery.Clouddriver.Kubernetes.Contracts;
using Delivery.Clouddriver.Kubernetes.Operations;
using MassTransit;

namespace Delivery.Clouddriver.Kubernetes.Api;

/// <summary>Answers <see cref="GetManifestProgress"/> from this clouddriver's <see cref="OperationProgress"/>.</summary>
public sealed class ManifestProgressConsumer(OperationProgress progress) : IConsumer<GetManifestProgress>
{
    /// <summary>The queue the requests are answered on.</summary>
    public const string Queue = "clouddriver-kubernetes-progress";

    public Task Consume(ConsumeContext<GetManifestProgress> context) =>
        context.RespondAsync(new ManifestProgress(context.Message.OperationId, progress.Find(context.Message.OperationId ?? "")));
}
