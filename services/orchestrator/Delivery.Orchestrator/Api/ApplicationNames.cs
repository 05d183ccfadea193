using System.Text.RegularExpressions;

namespace Delivery.Orchestrator.Api;

/// <summary>What an application may be called: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
public static partial class ApplicationNames
{
    public const string Rule = "letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128 characters";

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,127}\z")]
    private static partial Regex ValidName();

    /// <summary>True when the (already lower-cased) name is a valid application name.</summary>
    public static bool IsValid(string name) => ValidName().IsMatch(name);
}
