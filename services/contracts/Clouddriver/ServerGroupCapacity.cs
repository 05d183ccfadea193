namespace Delivery.Contracts.Clouddriver;

/// <summary>Instance counts of a server group (Spinnaker's <c>capacity</c>): 0 &lt;= min &lt;= desired &lt;= max.</summary>
public sealed record ServerGroupCapacity(int Min, int Max, int Desired);
