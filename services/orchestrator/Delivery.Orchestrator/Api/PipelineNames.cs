namespace Delivery.Orchestrator.Api;

/// <summary>
/// What a pipeline may be called, so that every saved pipeline can be triggered through its URL
/// (<c>POST /pipelines/{app}/{name}</c>): 1 to 256 characters, no control characters, no unpaired UTF-16
/// surrogates (text that is not valid Unicode), and none of <c>/ \ ? #</c>, which a URL path cannot carry
/// as one segment. Spaces and other punctuation, which Deck allows, are fine.
/// </summary>
public static class PipelineNames
{
    public const int MaxLength = 256;

    public const string Rule = "1 to 256 characters, without control characters or any of / \\ ? #";

    /// <summary>Null when <paramref name="name"/> follows <see cref="Rule"/>; otherwise what is wrong with it.</summary>
    public static string? Problem(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return $"a pipeline name must be {Rule}; this one has {name.Length} characters";
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return $"a pipeline name must be valid Unicode text; position {i} holds an unpaired surrogate";
            }
            if (char.IsControl(c) || c is '/' or '\\' or '?' or '#')
            {
                return $"a pipeline name must be {Rule}; position {i} holds {(char.IsControl(c) ? $"control character U+{(int)c:X4}" : $"'{c}'")}";
            }
        }
        return null;
    }
}
