namespace Delivery.Clouddriver.Kubernetes.Api;

/// <summary>A request the API server refused (its HTTP status and <c>Status.message</c>), or that could not reach it (status 0).</summary>
public sealed class KubeApiException(int status, string message) : Exception(message)
{
    public int Status => status;
}
