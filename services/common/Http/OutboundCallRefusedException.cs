namespace Delivery.ServiceDefaults.Http;

/// <summary>
/// Thrown when <see cref="OutboundHttpPolicy"/> refuses every address a host resolved to. Its message names the
/// address, the rule and the setting that would allow it. A refusal is final: callers fail rather than retry.
/// </summary>
public sealed class OutboundCallRefusedException(string message) : HttpRequestException(message)
{
    /// <summary>The refusal behind <paramref name="exception"/> (HttpClient wraps what a connect callback throws), or null.</summary>
    public static OutboundCallRefusedException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundCallRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }
}
