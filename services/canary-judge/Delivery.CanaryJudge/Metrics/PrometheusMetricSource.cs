using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Metrics;

/// <summary>
/// Prometheus' <c>/api/v1/query_range</c> as a metric source (Kayenta's <c>PrometheusMetricsService</c>).
/// The query is the metric's <c>customInlineTemplate</c> with <c>${scope}</c>/<c>${location}</c> filled,
/// else <c>sum(metricName{scope="..."})</c> with the configured labels. The answer's series are summed
/// per step, so a query that returns one series per instance still gives one value per step; a step
/// without a value is NaN. At most <see cref="CanaryJudgeOptions.MaxPointsPerSide"/> steps are asked for.
/// </summary>
public sealed class PrometheusMetricSource(IHttpClientFactory clients, IOptions<PrometheusOptions> options, IOptions<CanaryJudgeOptions> judge) : IMetricSource
{
    /// <summary>The named <see cref="HttpClient"/> (timeout and response size from <see cref="PrometheusOptions"/>).</summary>
    public const string HttpClientName = "canary-judge-prometheus";

    public string Type => Configs.MetricSourceTypes.Prometheus;

    public Task<double[]> FetchAsync(MetricQuery query, CancellationToken cancellationToken) => FetchAsync(BuildQuery(query), query, cancellationToken);

    /// <summary>Runs <paramref name="promQl"/> over the query's range and step (other sources built on Prometheus, e.g. the local balancer metrics).</summary>
    /// <exception cref="MetricSourceException">Prometheus is unreachable, refused the query or the range holds too many steps.</exception>
    internal async Task<double[]> FetchAsync(string promQl, MetricQuery query, CancellationToken cancellationToken)
    {
        if (query.Step <= TimeSpan.Zero || query.End < query.Start)
        {
            throw new ArgumentException("The step must be positive and the end not before the start.", nameof(query));
        }
        var steps = (long)((query.End - query.Start) / query.Step) + 1;
        if (steps > judge.Value.MaxPointsPerSide)
        {
            throw new MetricSourceException($"The range holds {steps} steps of {query.Step.TotalSeconds} s; at most {judge.Value.MaxPointsPerSide} points are judged per side.");
        }
        var url = $"{options.Value.BaseUrl.TrimEnd('/')}/api/v1/query_range?query={Uri.EscapeDataString(promQl)}"
            + $"&start={Seconds(query.Start)}&end={Seconds(query.End)}&step={query.Step.TotalSeconds.ToString(CultureInfo.InvariantCulture)}";
        string body;
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).GetAsync(url, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new MetricSourceException($"Prometheus at {options.Value.BaseUrl} did not answer the query {promQl}: {e.Message}", e);
        }
        using (response)
        {
            return Parse(body, (int)response.StatusCode, promQl, query, (int)steps);
        }
    }

    private string BuildQuery(MetricQuery query)
    {
        if (query.Query["customInlineTemplate"] is JsonValue template && template.GetValueKind() == JsonValueKind.String
            && template.GetValue<string>() is { Length: > 0 } text)
        {
            return PromQlTemplate.Expand(text, query.Scope, query.Location);
        }
        if (query.Query["metricName"] is JsonValue name && name.GetValueKind() == JsonValueKind.String && name.GetValue<string>() is { Length: > 0 } metric)
        {
            var location = string.IsNullOrEmpty(query.Location) ? "" : $",{options.Value.LocationLabel}=\"{PromQlTemplate.Escape(query.Location)}\"";
            return $"sum({metric}{{{options.Value.ScopeLabel}=\"{PromQlTemplate.Escape(query.Scope)}\"{location}}})";
        }
        throw new MetricSourceException("A prometheus query needs a metricName or a customInlineTemplate.");
    }

    private static double[] Parse(string body, int status, string promQl, MetricQuery query, int steps)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new MetricSourceException($"Prometheus answered {status} with something other than JSON to the query {promQl}.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var state) || state.GetString() != "success")
            {
                var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) ? e.GetString() : null;
                throw new MetricSourceException($"Prometheus refused the query {promQl} ({status}): {error ?? "no reason given"}.");
            }
            var values = new double[steps];
            Array.Fill(values, double.NaN);
            var start = query.Start.ToUnixTimeMilliseconds() / 1000.0;
            var step = query.Step.TotalSeconds;
            foreach (var series in root.GetProperty("data").GetProperty("result").EnumerateArray())
            {
                if (!series.TryGetProperty("values", out var points))
                {
                    continue;
                }
                foreach (var point in points.EnumerateArray())
                {
                    var index = (long)Math.Round((point[0].GetDouble() - start) / step);
                    if (index < 0 || index >= steps
                        || !double.TryParse(point[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    {
                        continue;
                    }
                    values[index] = double.IsNaN(values[index]) ? value : values[index] + value;
                }
            }
            return values;
        }
    }

    private static string Seconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
}
