using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Echo.Notifications;

/// <summary>What a judgment link lets its holder do: judge one stage, once, as <see cref="User"/>, until <see cref="Expires"/> (Unix seconds).</summary>
public sealed record JudgmentGrant(string ExecutionId, string StageId, string JudgmentStatus, string User, long Expires);

/// <summary>
/// Signed, expiring judgment links for emails: the token is the grant as base64url JSON, a dot, and its
/// base64url HMAC-SHA256 under <see cref="NotificationOptions.LinkSigningKey"/>. Nothing is stored; a token
/// that was changed or has expired is refused.
/// </summary>
public sealed class JudgmentLinks
{
    private readonly byte[] _key;
    private readonly NotificationOptions _options;
    private readonly TimeProvider _time;

    public JudgmentLinks(IOptions<NotificationOptions> options, TimeProvider time, ILogger<JudgmentLinks> logger)
    {
        _options = options.Value;
        _time = time;
        if (string.IsNullOrEmpty(_options.LinkSigningKey))
        {
            logger.LogWarning("{Section}:LinkSigningKey is not set: judgment links work only on this replica, until it stops.", NotificationOptions.Section);
            _key = RandomNumberGenerator.GetBytes(32);
        }
        else
        {
            _key = Encoding.UTF8.GetBytes(_options.LinkSigningKey);
        }
    }

    /// <summary>The absolute link (<c>{BaseUrl}/notifications/judgment/{token}</c>) that judges the stage as <paramref name="user"/>.</summary>
    public string Create(string executionId, string stageId, string judgmentStatus, string user)
    {
        var expires = _time.GetUtcNow().AddHours(_options.JudgmentLinkHours).ToUnixTimeSeconds();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new JudgmentGrant(executionId, stageId, judgmentStatus, user, expires));
        var token = $"{WebEncoders.Base64UrlEncode(payload)}.{WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, payload))}";
        return $"{_options.BaseUrl.TrimEnd('/')}/notifications/judgment/{token}";
    }

    /// <summary>The grant a token carries, or why it is refused (forged, malformed, expired).</summary>
    public (JudgmentGrant? Grant, string? Problem) Verify(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 2)
        {
            return (null, "The judgment link is malformed.");
        }
        byte[] payload, signature;
        try
        {
            payload = WebEncoders.Base64UrlDecode(parts[0]);
            signature = WebEncoders.Base64UrlDecode(parts[1]);
        }
        catch (FormatException)
        {
            return (null, "The judgment link is malformed.");
        }
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payload), signature))
        {
            return (null, "The judgment link's signature is wrong.");
        }
        var grant = JsonSerializer.Deserialize<JudgmentGrant>(payload);
        if (grant is null)
        {
            return (null, "The judgment link is malformed.");
        }
        return grant.Expires < _time.GetUtcNow().ToUnixTimeSeconds() ? (null, "The judgment link has expired.") : (grant, null);
    }
}
