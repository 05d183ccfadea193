namespace Delivery.Contracts.Api;

/// <summary>Get one pipeline config by application and name.</summary>
public sealed record GetPipelineConfig(string Application, string Name);
