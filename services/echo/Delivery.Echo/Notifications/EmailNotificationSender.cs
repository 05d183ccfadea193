using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Delivery.Echo.Notifications;

/// <summary>
/// The <c>email</c> notification over SMTP with MailKit. <c>address</c> (and <c>cc</c>) hold comma-separated
/// recipients. A manual judgment email goes to each recipient alone, with Continue and Stop links signed for
/// that recipient, who becomes the judge. A 5xx SMTP reply or a malformed address is final; anything else is retried.
/// </summary>
public sealed class EmailNotificationSender(IOptions<NotificationOptions> options, JudgmentLinks links) : INotificationSender
{
    public string Type => "email";

    public async Task SendAsync(NotificationJob job, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (string.IsNullOrEmpty(smtp.Host))
        {
            throw new NotificationRejectedException($"{NotificationOptions.Section}:Smtp:Host is not set; email notifications are off.");
        }
        var to = Recipients(NotificationPlanner.Address(job.Target.Config));
        var cc = Recipients(Delivery.Echo.Index.TriggerIndex.Text(job.Target.Config["cc"]));
        var messages = job.Event.Kind == "manualJudgment" && job.Event.StageId is not null
            ? to.Select(r => Build(job, [r], [], r.Address))
            : [Build(job, to, cc, null)];
        using var client = new SmtpClient { Timeout = options.Value.AttemptTimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, Enum.Parse<SecureSocketOptions>(smtp.Security, ignoreCase: true), cancellationToken);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
            }
            foreach (var message in messages)
            {
                await client.SendAsync(message, cancellationToken);
            }
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            throw new NotificationRejectedException($"The SMTP server refused the message: {(int)e.StatusCode} {e.Message}");
        }
    }

    private MimeMessage Build(NotificationJob job, IReadOnlyList<MailboxAddress> to, IReadOnlyList<MailboxAddress> cc, string? judge)
    {
        var e = job.Event;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.Smtp.From));
        message.To.AddRange(to);
        message.Cc.AddRange(cc);
        message.Subject = $"[Delivery] {job.Target.Text.Split('\n')[0]}";
        var text = job.Target.Text;
        var html = $"<p>{System.Net.WebUtility.HtmlEncode(text).Replace("\n", "<br>", StringComparison.Ordinal)}</p>";
        if (judge is not null)
        {
            var proceed = links.Create(e.ExecutionId, e.StageId!, "continue", judge);
            var stop = links.Create(e.ExecutionId, e.StageId!, "stop", judge);
            text += $"\n\nContinue: {proceed}\nStop: {stop}\n\nThe links work for {options.Value.JudgmentLinkHours} hours and ask you to confirm.";
            html += $"<p><a href=\"{proceed}\">Continue</a> &nbsp; <a href=\"{stop}\">Stop</a></p>"
                + $"<p>The links work for {options.Value.JudgmentLinkHours} hours and ask you to confirm.</p>";
        }
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    private static List<MailboxAddress> Recipients(string? list)
    {
        try
        {
            return [.. (list ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(MailboxAddress.Parse)];
        }
        catch (ParseException e)
        {
            throw new NotificationRejectedException($"Email address list '{list}' is malformed: {e.Message}");
        }
    }
}
