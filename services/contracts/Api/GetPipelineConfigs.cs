namespace Delivery.Contracts.Api;

/// <summary>List the pipeline configs of an application.</summary>
public sealed record GetPipelineConfigs(string Application);
