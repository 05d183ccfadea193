namespace Delivery.ServiceDefaults;

/// <summary>Where durable state lives, bound from <c>Delivery:Store</c>.</summary>
public sealed class DeliveryStoreOptions
{
    public const string Section = "Delivery:Store";

    /// <summary><c>InMemory</c> (standalone default) or <c>Redis</c>.</summary>
    public StoreKind Kind { get; set; } = StoreKind.InMemory;

    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Prefix of every key, so that several installations can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "delivery:";
}

public enum StoreKind
{
    InMemory,
    Redis,
}
