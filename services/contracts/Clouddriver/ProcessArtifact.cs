namespace Delivery.Contracts.Clouddriver;

/// <summary>
/// What the <c>local</c> provider runs for each instance: an executable and its arguments
/// (e.g. <c>{"command": "dotnet", "args": ["hello.dll"]}</c>). No shell is involved.
/// </summary>
public sealed record ProcessArtifact(string Command, IReadOnlyList<string>? Args = null);
