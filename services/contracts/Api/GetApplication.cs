namespace Delivery.Contracts.Api;

/// <summary>Get one application by name.</summary>
public sealed record GetApplication(string Name);
