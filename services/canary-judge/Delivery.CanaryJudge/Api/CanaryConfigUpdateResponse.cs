namespace Delivery.CanaryJudge.Api;

/// <summary>The answer to creating or updating a canary config (Kayenta's <c>CanaryConfigUpdateResponse</c>).</summary>
public sealed record CanaryConfigUpdateResponse(string CanaryConfigId);
