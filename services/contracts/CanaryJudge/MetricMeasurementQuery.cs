namespace Delivery.Contracts.CanaryJudge;

/// <summary>One metric to measure at one moment (a threshold analysis' query).</summary>
/// <param name="Name">The metric's name in the analysis, echoed in its <see cref="MetricMeasurement"/>.</param>
/// <param name="QueryJson">The metric's <c>query</c> as in a canary config (<c>{"type": "prometheus" | "local", ...}</c>).</param>
/// <param name="Scope">The scope (<c>${scope}</c>; the server group for <c>local</c>).</param>
/// <param name="Location">The location (<c>${location}</c>; the account for <c>local</c>), if any.</param>
/// <param name="WindowSeconds">The window the value covers, in seconds (the <c>local</c> source's rate window).</param>
public sealed record MetricMeasurementQuery(string Name, string QueryJson, string Scope, string? Location, double WindowSeconds);
