using System.Net.Http.Headers;
using k8s.Authentication;

namespace Delivery.Clouddriver.Kubernetes.Accounts;

/// <summary>
/// The bearer token of a service account token file, read for every request: the kubelet rotates bound tokens (they
/// expire, an hour by default) by replacing the file, and the API server refuses an expired one, so a token kept in
/// memory would stop working. The file is small and in memory (a projected volume), so reading it costs next to nothing.
/// </summary>
internal sealed class ServiceAccountToken(string path) : ITokenProvider
{
    /// <summary>The <c>Authorization: Bearer</c> value; throws <see cref="IOException"/> when the file cannot be read.</summary>
    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        new("Bearer", (await File.ReadAllTextAsync(path, cancellationToken)).Trim());
}
