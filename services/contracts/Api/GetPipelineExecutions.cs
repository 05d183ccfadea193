namespace Delivery.Contracts.Api;

/// <summary>Recent executions of the given pipeline configs (comma-separated ids), newest first, up to <c>Limit</c> per config, optionally filtered by comma-separated statuses.</summary>
public sealed record GetPipelineExecutions(string PipelineConfigIds, int Limit, string? Statuses);
