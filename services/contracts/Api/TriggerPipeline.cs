namespace Delivery.Contracts.Api;

/// <summary>Create and start an execution of a saved pipeline config; answers 202 with the execution id.</summary>
public sealed record TriggerPipeline(string Application, string Name, string TriggerJson);
