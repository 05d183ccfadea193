namespace Delivery.KubernetesTestServer;

/// <summary>How the test API server and its simulated controllers behave.</summary>
public sealed class KubernetesTestServerOptions
{
    /// <summary>How long a started pod takes to become Ready.</summary>
    public TimeSpan PodReadyDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the simulated controllers reconcile.</summary>
    public TimeSpan ControllerInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often a watch that allows bookmarks gets one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a watch stays open.</summary>
    public TimeSpan MaxWatchTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Changes kept for watches to resume from; older resource versions get 410 Gone.</summary>
    public int HistoryLimit { get; set; } = 10_000;

    /// <summary>The simulated nodes (<c>node-0</c> ...), each running one pod of every DaemonSet.</summary>
    public int Nodes { get; set; } = 2;

    /// <summary>
    /// Whether the server speaks HTTPS, with a certificate for 127.0.0.1 and localhost signed by a CA made at start
    /// (<see cref="KubernetesTestServer.CertificateAuthorityPem"/>), as a cluster's API server does; else plain HTTP.
    /// </summary>
    public bool Tls { get; set; }

    /// <summary>
    /// The bearer tokens the server accepts: every request must carry one (else 401 Unauthorized); none: no authentication.
    /// </summary>
    public List<string> BearerTokens { get; set; } = [];

    /// <summary>Namespaces that exist from the start.</summary>
    public List<string> Namespaces { get; set; } = ["default", "kube-system"];
}
