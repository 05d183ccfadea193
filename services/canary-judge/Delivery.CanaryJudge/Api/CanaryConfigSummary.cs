namespace Delivery.CanaryJudge.Api;

/// <summary>One entry of <c>GET /v2/canaryConfig</c>, the fields Kayenta's config list carries.</summary>
public sealed record CanaryConfigSummary(string Id, string? Name, long? UpdatedTimestamp, string? UpdatedTimestampIso, IReadOnlyList<string> Applications);
