using Delivery.Contracts.CanaryJudge;
using MassTransit;

namespace Delivery.CanaryJudge.Analysis;

/// <summary>Judges a canary interval from the bus and publishes its <see cref="CanaryIntervalJudged"/> (also for a redelivered command).</summary>
public sealed class JudgeCanaryIntervalConsumer(CanaryIntervalRunner runner) : IConsumer<JudgeCanaryInterval>
{
    public async Task Consume(ConsumeContext<JudgeCanaryInterval> context)
    {
        var judged = await runner.JudgeAsync(context.Message, context.CancellationToken);
        await context.Publish(judged, context.CancellationToken);
    }
}
