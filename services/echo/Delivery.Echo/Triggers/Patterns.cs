using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Delivery.Echo.Triggers;

/// <summary>
/// The regular expressions of trigger configs (<c>tag</c>, <c>payloadConstraints</c> ...), matched against a whole
/// value as Java's <c>Matcher.matches()</c> does in Spinnaker's Echo. A pattern comes from a user's config, so each
/// match is bounded in time; a pattern that does not parse or runs too long matches nothing.
/// </summary>
internal static class Patterns
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    public static bool FullMatch(string pattern, string value, ILogger logger)
    {
        try
        {
            return Regex.IsMatch(value, $@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, Timeout);
        }
        catch (ArgumentException e)
        {
            logger.LogWarning("Trigger pattern '{Pattern}' is not a valid regular expression: {Reason}", pattern, e.Message);
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            logger.LogWarning("Trigger pattern '{Pattern}' took longer than {Timeout} to match; taken as no match.", pattern, Timeout);
            return false;
        }
    }
}
