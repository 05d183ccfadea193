namespace Delivery.Contracts.Orchestration;

/// <summary>
/// Event: a pipeline config was deleted. Published by the orchestrator after the store removed it;
/// <see cref="Time"/> is the deletion's time in milliseconds since the Unix epoch. Like
/// <see cref="PipelineConfigSaved"/>, not sent through an outbox.
/// </summary>
public sealed record PipelineConfigDeleted(string Application, string PipelineConfigId, string Name, long Time);
