using System.Text.Json.Nodes;

namespace Delivery.CanaryJudge.Metrics;

/// <summary>What to fetch: a metric's <c>query</c> block, for one scope over a time range.</summary>
/// <param name="Query">The metric's <c>query</c> JSON from the canary config (type, metricName, customInlineTemplate ...).</param>
/// <param name="Scope">The scope, e.g. the control or experiment server group (<c>${scope}</c> in a template).</param>
/// <param name="Location">The region or namespace, if any (<c>${location}</c> in a template).</param>
/// <param name="Start">First point's time.</param>
/// <param name="End">Last point's time (inclusive).</param>
/// <param name="Step">Time between points.</param>
public sealed record MetricQuery(JsonObject Query, string Scope, string? Location, DateTimeOffset Start, DateTimeOffset End, TimeSpan Step);
