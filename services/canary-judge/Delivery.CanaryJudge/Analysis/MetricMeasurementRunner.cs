using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Metrics;
using Delivery.Contracts.CanaryJudge;

namespace Delivery.CanaryJudge.Analysis;

/// <summary>
/// Measures metrics for a threshold analysis (<see cref="MeasureMetrics"/>): each query's value at one moment, read
/// from its source as a one-point range whose step is the query's window. The queries of one command run at once.
/// </summary>
public sealed class MetricMeasurementRunner(IEnumerable<IMetricSource> sources)
{
    /// <summary>Most queries one command may carry.</summary>
    public const int MaxQueries = 20;

    private readonly Dictionary<string, IMetricSource> _sources = sources.ToDictionary(s => s.Type, StringComparer.Ordinal);

    /// <summary>One result per query; never throws for a bad query or a failing source (the result says why).</summary>
    public async Task<MetricsMeasured> MeasureAsync(MeasureMetrics command, CancellationToken cancellationToken)
    {
        var queries = command.Queries ?? [];
        var results = queries.Count > MaxQueries
            ? [.. queries.Select(q => new MetricMeasurement(q.Name, null, $"At most {MaxQueries} metrics are measured at once."))]
            : await Task.WhenAll(queries.Select(q => MeasureAsync(q, command.At, cancellationToken)));
        return new MetricsMeasured(command.MeasurementId, command.ExecutionId, command.StageId, command.TaskId, results);
    }

    private async Task<MetricMeasurement> MeasureAsync(MetricMeasurementQuery query, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            if (!(query.WindowSeconds is > 0 and <= 86_400))
            {
                throw new MetricSourceException("The window must be 0..86400 seconds.");
            }
            var json = ParseQuery(query.QueryJson);
            var type = json["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "";
            var source = _sources.GetValueOrDefault(type)
                ?? throw new MetricSourceException($"Unknown metric source '{type}'; known sources are {string.Join(", ", _sources.Keys)}.");
            var points = await source.FetchAsync(new MetricQuery(json, query.Scope, query.Location, at, at, TimeSpan.FromSeconds(query.WindowSeconds)), cancellationToken);
            return new MetricMeasurement(query.Name, points.Length > 0 && double.IsFinite(points[^1]) ? points[^1] : null, null);
        }
        catch (MetricSourceException e)
        {
            return new MetricMeasurement(query.Name, null, e.Message);
        }
    }

    private static JsonObject ParseQuery(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new MetricSourceException("The query must be a JSON object {type, ...}.");
        }
        catch (JsonException e)
        {
            throw new MetricSourceException($"The query is not valid JSON: {e.Message}");
        }
    }
}
