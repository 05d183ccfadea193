namespace Delivery.ServiceDefaults.Http;

/// <summary>
/// Which addresses outbound calls that a pipeline asks for (webhook, jenkins, and every later integration)
/// may reach, bound from <c>Delivery:Http</c>. Defaults follow Orca's <c>UserConfiguredUrlRestrictions</c>:
/// loopback and link-local (which holds the cloud metadata address 169.254.169.254) are refused; private
/// networks are allowed, since CI servers usually live there.
/// </summary>
public sealed class OutboundHttpOptions
{
    public const string Section = "Delivery:Http";

    /// <summary>Allow 127.0.0.0/8 and ::1 (local stubs in tests and demos).</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Allow 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 and fc00::/7.</summary>
    public bool AllowPrivateNetworks { get; set; } = true;

    /// <summary>
    /// Host names (exact, case-insensitive, or <c>*.example.com</c>) and networks in CIDR form
    /// (<c>10.1.0.0/16</c>, <c>127.0.0.1/32</c>) that are allowed whatever the rules above say.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
