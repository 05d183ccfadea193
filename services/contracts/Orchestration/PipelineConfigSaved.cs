namespace Delivery.Contracts.Orchestration;

/// <summary>
/// Event: a pipeline config was saved (created or replaced). Published by the orchestrator after the store
/// write, so that a service keeping its own view of the configs (echo's trigger index) follows at once rather
/// than on its next full read. <see cref="Json"/> is the config as stored (Spinnaker pipeline JSON with its
/// <c>id</c> and <c>updateTs</c>); <see cref="Time"/> is the save's time in milliseconds since the Unix epoch, the config's <c>updateTs</c>
/// (events may be consumed out of order: a consumer keeps the config with the latest).
/// Not sent through an outbox: a consumer that may miss one must also read the configs now and then.
/// </summary>
public sealed record PipelineConfigSaved(string Application, string PipelineConfigId, string Name, string Json, long Time);
