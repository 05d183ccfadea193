namespace Delivery.Contracts.Api;

/// <summary>Validate and save a pipeline config (Spinnaker pipeline JSON).</summary>
public sealed record SavePipelineConfig(string Json);
