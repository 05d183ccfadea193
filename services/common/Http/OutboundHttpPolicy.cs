using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Delivery.ServiceDefaults.Http;

/// <summary>
/// The one policy every outbound call a pipeline asks for goes through. It is applied when a connection is
/// made, to the address the name resolved to (so DNS rebinding cannot slip past a check made on the name),
/// and so to every redirect hop, since each new hop connects again.
/// </summary>
public sealed class OutboundHttpPolicy(IOptions<OutboundHttpOptions> options)
{
    private static readonly (IPNetwork Network, string Rule)[] Refused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local, which holds cloud metadata services"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fd00:ec2::254/128"), "cloud metadata"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork[] Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    private static readonly IPNetwork[] Private =
    [
        IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("fc00::/7"),
    ];

    /// <summary>Why a connection to <paramref name="address"/> for <paramref name="host"/> is refused, or null when it is allowed.</summary>
    public string? Check(string host, IPAddress address)
    {
        var o = options.Value;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IsAllowedExplicitly(o, host, address))
        {
            return null;
        }
        if (Loopback.Any(n => n.Contains(address)))
        {
            return o.AllowLoopback ? null : Refusal(host, address, "loopback", $"{OutboundHttpOptions.Section}:AllowLoopback");
        }
        foreach (var (network, rule) in Refused)
        {
            if (network.Contains(address))
            {
                return Refusal(host, address, rule, $"{OutboundHttpOptions.Section}:AllowedHosts");
            }
        }
        if (!o.AllowPrivateNetworks && Private.Any(n => n.Contains(address)))
        {
            return Refusal(host, address, "a private network", $"{OutboundHttpOptions.Section}:AllowPrivateNetworks");
        }
        return null;
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, drops the addresses the policy
    /// refuses, and connects to the first allowed one. Throws <see cref="OutboundCallRefusedException"/> naming the rule
    /// when every address is refused.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        string? refusal = null;
        foreach (var address in addresses)
        {
            if (Check(host, address) is { } why)
            {
                refusal ??= why;
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw refusal is null ? new HttpRequestException($"Host '{host}' resolved to no address.") : new OutboundCallRefusedException(refusal);
    }

    /// <summary>A handler whose every connection goes through this policy.</summary>
    public SocketsHttpHandler CreateHandler(bool allowAutoRedirect = true) => new()
    {
        ConnectCallback = ConnectAsync,
        UseCookies = false,
        AllowAutoRedirect = allowAutoRedirect,
        MaxAutomaticRedirections = 5,
    };

    private static bool IsAllowedExplicitly(OutboundHttpOptions o, string host, IPAddress address)
    {
        foreach (var entry in o.AllowedHosts)
        {
            if (entry.Contains('/') && IPNetwork.TryParse(entry, out var network))
            {
                if (network.Contains(address))
                {
                    return true;
                }
            }
            else if (entry.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase)
                : string.Equals(entry, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static string Refusal(string host, IPAddress address, string rule, string setting) =>
        $"Outbound call to '{host}' refused: {address} is {rule} (the outbound HTTP policy; allow it with {setting}).";
}
