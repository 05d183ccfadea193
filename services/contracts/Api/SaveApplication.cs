namespace Delivery.Contracts.Api;

/// <summary>Create or update an application from its JSON (<c>name</c>, <c>email</c>, <c>permissions</c> ...).</summary>
public sealed record SaveApplication(string Json);
