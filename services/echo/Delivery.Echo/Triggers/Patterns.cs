using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Delivery.Echo.Triggers;

/// <summary>
/// The regular expressions of trigger configs, matched as Spinnaker's Echo matches each: a docker <c>tag</c> or
/// <c>repository</c> against the whole value (Java's <c>String.matches</c>, <see cref="FullMatch"/>), a webhook's
/// <c>payloadConstraints</c> value anywhere in the payload's value (<c>ArtifactMatcher.isConstraintInPayload</c>
/// uses <c>Pattern.asPredicate()</c>, a find, <see cref="Find"/>). A pattern comes from a user's config, so each
/// match is bounded in time; a pattern that does not parse or runs too long matches nothing.
/// </summary>
internal static class Patterns
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    /// <summary>True when <paramref name="pattern"/> matches all of <paramref name="value"/>.</summary>
    public static bool FullMatch(string pattern, string value, ILogger logger) => IsMatch($@"\A(?:{pattern})\z", pattern, value, logger);

    /// <summary>True when <paramref name="pattern"/> matches somewhere in <paramref name="value"/> (anchor it with <c>^...$</c> to match all of it).</summary>
    public static bool Find(string pattern, string value, ILogger logger) => IsMatch(pattern, pattern, value, logger);

    private static bool IsMatch(string regex, string pattern, string value, ILogger logger)
    {
        try
        {
            return Regex.IsMatch(value, regex, RegexOptions.CultureInvariant, Timeout);
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
