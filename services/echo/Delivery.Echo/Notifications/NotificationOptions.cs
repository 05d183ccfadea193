using System.ComponentModel.DataAnnotations;

namespace Delivery.Echo.Notifications;

/// <summary>How echo sends notifications, bound from <c>Delivery:Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Delivery:Notifications";

    /// <summary>Where users reach this installation (gate's address), for the links in emails: <c>{BaseUrl}/notifications/judgment/{token}</c>.</summary>
    [Required, Url] public string BaseUrl { get; set; } = "http://127.0.0.1:8084";

    /// <summary>
    /// Key that signs judgment links (at least 32 characters). Every replica must share it; when empty, a random
    /// key is made at start, and links die with the process.
    /// </summary>
    public string? LinkSigningKey { get; set; }

    /// <summary>How long a judgment link in an email works, in hours.</summary>
    [Range(1, 24 * 14)] public int JudgmentLinkHours { get; set; } = 24;

    /// <summary>Attempts per notification (the first and the retries), with exponential backoff from <see cref="RetryDelayMilliseconds"/>.</summary>
    [Range(1, 10)] public int MaxAttempts { get; set; } = 4;

    /// <summary>The first retry's delay, in milliseconds; each later one doubles it (with jitter).</summary>
    [Range(1, 60_000)] public int RetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>Time allowed for one delivery attempt (an SMTP session, a Slack or webhook call), in seconds.</summary>
    [Range(1, 120)] public int AttemptTimeoutSeconds { get; set; } = 15;

    public SmtpSettings Smtp { get; set; } = new();

    public SlackSettings Slack { get; set; } = new();
}

/// <summary>The SMTP server email notifications go through (<c>Delivery:Notifications:Smtp</c>).</summary>
public sealed class SmtpSettings
{
    /// <summary>The server's host; email notifications are refused (and logged) while it is empty.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)] public int Port { get; set; } = 25;

    /// <summary>The sender address, e.g. <c>delivery@example.com</c>.</summary>
    public string From { get; set; } = "delivery@localhost";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>MailKit's <c>SecureSocketOptions</c>: <c>Auto</c>, <c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c>.</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";
}

/// <summary>The Slack app echo posts as (<c>Delivery:Notifications:Slack</c>).</summary>
public sealed class SlackSettings
{
    /// <summary>The Web API's base URL; a test or proxy may put another server there.</summary>
    [Required] public string ApiBaseUrl { get; set; } = "https://slack.com/api";

    /// <summary>The bot token (<c>xoxb-...</c>); Slack notifications are refused (and logged) while it is empty.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app's signing secret, which verifies interactive callbacks; without it every callback gets 401.</summary>
    public string? SigningSecret { get; set; }
}
