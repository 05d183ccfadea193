using System.Text.Json.Nodes;

namespace Delivery.Testing;

/// <summary>One series of an instant query's answer.</summary>
/// <param name="Labels">The series' labels (<c>metric</c> in Prometheus' answer).</param>
/// <param name="Time">The time of the sample (the query's evaluation time for an instant query).</param>
/// <param name="Value">The sample's value.</param>
public sealed record PrometheusSample(JsonObject Labels, DateTimeOffset Time, double Value);
