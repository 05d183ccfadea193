namespace Delivery.Clouddriver.Kubernetes.Api;

/// <summary>A kind as the cluster's discovery serves it: where its objects live.</summary>
/// <param name="ApiVersion"><c>apps/v1</c>, or <c>v1</c> for the core group.</param>
/// <param name="Plural">The resource name in URLs.</param>
public sealed record ResourceKind(string ApiVersion, string Kind, string Plural, bool Namespaced)
{
    /// <summary>The collection path, in <paramref name="ns"/> for a namespaced kind.</summary>
    public string Collection(string? ns) =>
        $"/{(ApiVersion.Contains('/') ? "apis" : "api")}/{ApiVersion}/{(Namespaced ? $"namespaces/{Uri.EscapeDataString(ns!)}/" : "")}{Plural}";

    /// <summary>One object's path.</summary>
    public string Item(string? ns, string name) => $"{Collection(ns)}/{Uri.EscapeDataString(name)}";
}
