namespace Delivery.Contracts.Api;

/// <summary>List applications.</summary>
public sealed record GetApplications;
