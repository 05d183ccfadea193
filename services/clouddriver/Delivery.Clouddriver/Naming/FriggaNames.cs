using System.Globalization;
using System.Text.RegularExpressions;

namespace Delivery.Clouddriver.Naming;

/// <summary>
/// Netflix Frigga's naming rules (<c>com.netflix.frigga.Names</c> / <c>NameConstants</c>), as
/// Spinnaker's clouddriver applies them: application and stack take <c>[a-zA-Z0-9._]</c>, the
/// free-form detail also takes hyphens, and a server group ends in <c>-v</c> plus three or more digits.
/// </summary>
public static partial class FriggaNames
{
    /// <summary>Longest name accepted; the parts are joined into hostnames, keys and labels.</summary>
    public const int MaxLength = 128;

    [GeneratedRegex("^[a-zA-Z0-9._]+$")]
    private static partial Regex NameChars();

    [GeneratedRegex("^[-a-zA-Z0-9._]+$")]
    private static partial Regex NameHyphenChars();

    // As Frigga: a trailing -vNNN is the version whatever precedes it, so it is split off first.
    [GeneratedRegex("^(.+)-v([0-9]{3,9})$")]
    private static partial Regex Versioned();

    // app, then optionally -stack, then optionally -detail (which may itself hold hyphens).
    [GeneratedRegex("^([a-zA-Z0-9._]+)(?:-([a-zA-Z0-9._]*)(?:-([-a-zA-Z0-9._]*))?)?$")]
    private static partial Regex ClusterName();

    /// <summary>Builds a moniker from its parts, or says which part breaks the rules.</summary>
    public static (Moniker? Moniker, string? Error) Build(string? application, string? stack, string? detail)
    {
        if (string.IsNullOrEmpty(application))
        {
            return (null, "application is required.");
        }
        if (!NameChars().IsMatch(application))
        {
            return (null, $"application '{application}' may contain only letters, digits, '.' and '_'.");
        }
        if (!string.IsNullOrEmpty(stack) && !NameChars().IsMatch(stack))
        {
            return (null, $"stack '{stack}' may contain only letters, digits, '.' and '_'.");
        }
        if (!string.IsNullOrEmpty(detail) && !NameHyphenChars().IsMatch(detail))
        {
            return (null, $"freeFormDetails '{detail}' may contain only letters, digits, '.', '_' and '-'.");
        }
        var moniker = new Moniker(application, NullIfEmpty(stack), NullIfEmpty(detail), null);
        if (moniker.Cluster.Length > MaxLength - 5)
        {
            return (null, $"cluster name '{moniker.Cluster}' is longer than {MaxLength - 5} characters.");
        }
        return (moniker, null);
    }

    /// <summary>Parses a cluster, load balancer or server group name into its moniker; null when it breaks the rules.</summary>
    public static Moniker? Parse(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return null;
        }
        var versioned = Versioned().Match(name);
        var match = ClusterName().Match(versioned.Success ? versioned.Groups[1].Value : name);
        if (!match.Success)
        {
            return null;
        }
        int? sequence = versioned.Success ? int.Parse(versioned.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        return new Moniker(match.Groups[1].Value, NullIfEmpty(match.Groups[2].Value), NullIfEmpty(match.Groups[3].Value), sequence);
    }

    /// <summary>The moniker of a server group name (one that ends in <c>-vNNN</c>), or null.</summary>
    public static Moniker? ParseServerGroup(string? name) => Parse(name) is { Sequence: not null } m ? m : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
