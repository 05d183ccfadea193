using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Integrations.Jenkins;

/// <summary>Jenkins masters the <c>jenkins</c> stage can build on, bound from <c>Delivery:Jenkins</c>.</summary>
public sealed class JenkinsOptions
{
    public const string Section = "Delivery:Jenkins";

    /// <summary>Masters by name (<c>Delivery:Jenkins:Masters:{name}:Address|Username|Password</c>).</summary>
    public Dictionary<string, JenkinsMasterOptions> Masters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often the queue item and the build are polled (Orca: 10 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one HTTP request to a master.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class JenkinsMasterOptions
{
    /// <summary>The master's base URL, e.g. <c>https://jenkins.example.com/</c> (a path prefix is kept).</summary>
    public string? Address { get; set; }

    public string? Username { get; set; }

    /// <summary>A password or, better, an API token of <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    public Uri BaseUri => new(Address!.EndsWith('/') ? Address : Address + "/");
}

/// <summary>Checks the masters at start, so that a typo fails the host rather than a pipeline.</summary>
public sealed class JenkinsOptionsValidator : IValidateOptions<JenkinsOptions>
{
    public ValidateOptionsResult Validate(string? name, JenkinsOptions options)
    {
        var failures = new List<string>();
        foreach (var (master, settings) in options.Masters)
        {
            var key = $"{JenkinsOptions.Section}:Masters:{master}";
            if (!Uri.TryCreate(settings.Address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                failures.Add($"{key}:Address must be an absolute http(s) URL, not '{settings.Address}'.");
            }
            if (string.IsNullOrEmpty(settings.Username) != string.IsNullOrEmpty(settings.Password))
            {
                failures.Add($"{key}: set both Username and Password (an API token), or neither.");
            }
        }
        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{JenkinsOptions.Section}:PollInterval must be positive.");
        }
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{JenkinsOptions.Section}:RequestTimeout must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
