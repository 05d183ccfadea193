namespace Delivery.Contracts.Api;

/// <summary>Recent executions of an application, newest first, optionally filtered by comma-separated statuses.</summary>
public sealed record GetApplicationExecutions(string Application, int Limit, string? Statuses);
