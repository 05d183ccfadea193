using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;
using Microsoft.Extensions.Configuration;

namespace Delivery.Clouddriver.Kubernetes.Accounts;

/// <summary>
/// The client configuration of an in-cluster account, as the official client's <c>KubernetesClientConfiguration.InClusterConfig()</c>
/// builds it: <c>https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT</c>, the cluster CA of <c>ca.crt</c>, the pod's
/// namespace from <c>namespace</c>, and the <c>token</c> file as bearer token. Built here because the client's reads a fixed
/// directory and the process environment, where tests need another directory and host, and because its token is re-read
/// only each minute (<see cref="ServiceAccountToken"/> reads it per request).
/// </summary>
internal static class InClusterConfig
{
    /// <summary>The environment variables Kubernetes sets in every pod (read through configuration, which includes the environment).</summary>
    public const string HostVariable = "KUBERNETES_SERVICE_HOST", PortVariable = "KUBERNETES_SERVICE_PORT";

    /// <summary>The configuration; throws <see cref="KubeConfigException"/>, <see cref="IOException"/> or <see cref="System.Security.Cryptography.CryptographicException"/> (a bad <c>ca.crt</c>) naming what is missing.</summary>
    public static KubernetesClientConfiguration Build(string directory, IConfiguration environment)
    {
        var host = environment[HostVariable];
        if (string.IsNullOrWhiteSpace(host) || !int.TryParse(environment[PortVariable], out var port))
        {
            throw new KubeConfigException($"{HostVariable} and {PortVariable}, which Kubernetes sets in every pod, are not set: clouddriver does not run in a cluster.");
        }
        var token = Path.Combine(directory, "token");
        if (!File.Exists(token))
        {
            throw new KubeConfigException($"There is no service account token at {token} (is automountServiceAccountToken false for the pod?).");
        }
        var namespaceFile = Path.Combine(directory, "namespace");
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(Path.Combine(directory, "ca.crt"));
        return new KubernetesClientConfiguration
        {
            Host = new UriBuilder("https", host, port).ToString(),
            TokenProvider = new ServiceAccountToken(token),
            SslCaCerts = ca,
            Namespace = File.Exists(namespaceFile) ? File.ReadAllText(namespaceFile).Trim() : null,
        };
    }
}
