using Prometheus;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// One load balancer's per-server-group metrics in its own prometheus-net registry (never the
/// process-wide one, so balancers and hosts do not mix): <c>loadbalancer_requests_total</c>,
/// <c>loadbalancer_errors_total</c> (5xx answers, including the balancer's own 502/503/504) and
/// <c>loadbalancer_request_duration_seconds</c>, labelled <c>load_balancer</c> and <c>server_group</c>
/// (<c>none</c> when no instance could serve).
/// </summary>
public sealed class BalancerMetrics
{
    private static readonly string[] Labels = ["load_balancer", "server_group"];
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Counter _requests;
    private readonly Counter _errors;
    private readonly Histogram _duration;
    private readonly string _loadBalancer;

    public BalancerMetrics(string loadBalancer)
    {
        _loadBalancer = loadBalancer;
        var factory = Metrics.WithCustomRegistry(_registry);
        _requests = factory.CreateCounter("loadbalancer_requests_total", "Requests answered, by the server group that served them.", new CounterConfiguration { LabelNames = Labels });
        _errors = factory.CreateCounter("loadbalancer_errors_total", "Requests answered with a 5xx status, by server group.", new CounterConfiguration { LabelNames = Labels });
        _duration = factory.CreateHistogram("loadbalancer_request_duration_seconds", "Time from receiving a request to the end of its response, by server group.",
            new HistogramConfiguration { LabelNames = Labels, Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });
    }

    public void Record(string? serverGroup, int status, TimeSpan elapsed)
    {
        var group = serverGroup ?? "none";
        _requests.WithLabels(_loadBalancer, group).Inc();
        if (status >= 500)
        {
            _errors.WithLabels(_loadBalancer, group).Inc();
        }
        _duration.WithLabels(_loadBalancer, group).Observe(elapsed.TotalSeconds);
    }

    /// <summary>Writes every metric in the Prometheus text exposition format (0.0.4).</summary>
    public Task WriteAsync(Stream stream, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(stream, cancellationToken);
}
