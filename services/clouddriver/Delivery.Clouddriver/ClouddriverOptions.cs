using System.ComponentModel.DataAnnotations;

namespace Delivery.Clouddriver;

/// <summary>Clouddriver's settings, bound from <c>Delivery:Clouddriver</c> and validated at start.</summary>
public sealed class ClouddriverOptions
{
    public const string Section = "Delivery:Clouddriver";

    /// <summary>Accounts from configuration; a <c>local</c> account is added unless one is named so or <see cref="DefaultLocalAccount"/> is false.</summary>
    public List<AccountOptions> Accounts { get; set; } = [];

    /// <summary>Whether a <c>local</c> account exists without being configured (the standalone experience).</summary>
    public bool DefaultLocalAccount { get; set; } = true;

    /// <summary>How long a finished operation's result is remembered for redelivered commands, in hours.</summary>
    [Range(1, 24 * 90)] public int OperationRetentionHours { get; set; } = 7 * 24;
}

/// <summary>One cloud account (Spinnaker's credentials).</summary>
public sealed class AccountOptions
{
    /// <summary>Account name, as operations and the read API name it.</summary>
    [Required, RegularExpression("^[a-zA-Z0-9._-]{1,64}$")] public string Name { get; set; } = "";

    /// <summary>Provider that serves the account (<c>local</c>; other providers, e.g. <c>kubernetes</c>, add their accounts themselves).</summary>
    [Required] public string CloudProvider { get; set; } = "local";
}
