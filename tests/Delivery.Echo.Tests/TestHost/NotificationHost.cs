using Microsoft.AspNetCore.Hosting;

namespace Delivery.Echo.Tests.TestHost;

/// <summary>
/// The standalone host wired to a real SMTP server (aiosmtpd) and to the Slack double, with short retries, for
/// the notification tests.
/// </summary>
public sealed class NotificationHost : IAsyncLifetime
{
    public const string SigningSecret = "slack-signing-secret-for-tests";

    private Factory? factory;

    public SmtpServer Smtp { get; private set; } = null!;

    public SlackDouble Slack { get; private set; } = null!;

    public EchoFactory Host => factory!;

    public async Task InitializeAsync()
    {
        Smtp = await SmtpServer.StartAsync();
        Slack = await SlackDouble.StartAsync();
        factory = new Factory(new Dictionary<string, string?>
        {
            ["Delivery:Notifications:BaseUrl"] = "http://delivery.test",
            ["Delivery:Notifications:LinkSigningKey"] = "judgment-link-key-for-tests-0123456789",
            ["Delivery:Notifications:RetryDelayMilliseconds"] = "20",
            ["Delivery:Notifications:MaxAttempts"] = "3",
            ["Delivery:Notifications:Smtp:Host"] = "127.0.0.1",
            ["Delivery:Notifications:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:Notifications:Smtp:From"] = "delivery@example.com",
            ["Delivery:Notifications:Smtp:Security"] = "None",
            ["Delivery:Notifications:Slack:ApiBaseUrl"] = $"{Slack.BaseUrl}/api",
            ["Delivery:Notifications:Slack:BotToken"] = SlackDouble.Token,
            ["Delivery:Notifications:Slack:SigningSecret"] = SigningSecret,
            // Webhook notifications go to the double on loopback, which the outbound policy refuses by default.
            ["Delivery:Http:AllowLoopback"] = "true",
        });
    }

    public async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
        await Slack.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    private sealed class Factory(IDictionary<string, string?> settings) : EchoFactory(settings);
}
