namespace Delivery.CanaryJudge.Metrics;

/// <summary>
/// Fetches the points of one metric for one scope (Kayenta's <c>MetricsService</c>). Implementations are
/// registered as <see cref="IMetricSource"/> and chosen by a metric's <c>query.type</c>.
/// </summary>
public interface IMetricSource
{
    /// <summary>The <c>query.type</c> this source serves, e.g. <c>prometheus</c>.</summary>
    string Type { get; }

    /// <summary>
    /// One value per step from <see cref="MetricQuery.Start"/> to <see cref="MetricQuery.End"/>
    /// inclusive; NaN where the source has no value.
    /// </summary>
    /// <exception cref="MetricSourceException">The source is unreachable, refused the query or answered something unreadable; the message says which.</exception>
    Task<double[]> FetchAsync(MetricQuery query, CancellationToken cancellationToken);
}
