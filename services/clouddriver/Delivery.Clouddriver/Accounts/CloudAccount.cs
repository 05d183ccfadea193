namespace Delivery.Clouddriver.Accounts;

/// <summary>A configured account and the provider serving it.</summary>
public sealed record CloudAccount(string Name, string CloudProvider);
