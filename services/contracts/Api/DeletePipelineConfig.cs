namespace Delivery.Contracts.Api;

/// <summary>Delete a pipeline config.</summary>
public sealed record DeletePipelineConfig(string Application, string Name);
