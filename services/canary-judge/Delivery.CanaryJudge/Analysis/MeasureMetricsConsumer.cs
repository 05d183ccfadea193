using Delivery.Contracts.CanaryJudge;
using MassTransit;

namespace Delivery.CanaryJudge.Analysis;

/// <summary>Measures a threshold analysis' metrics from the bus and publishes its <see cref="MetricsMeasured"/>.</summary>
public sealed class MeasureMetricsConsumer(MetricMeasurementRunner runner) : IConsumer<MeasureMetrics>
{
    public async Task Consume(ConsumeContext<MeasureMetrics> context)
    {
        var measured = await runner.MeasureAsync(context.Message, context.CancellationToken);
        await context.Publish(measured, context.CancellationToken);
    }
}
