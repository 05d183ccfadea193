using System.ComponentModel.DataAnnotations;

namespace Delivery.Gate;

/// <summary>Gate settings, bound from <c>Delivery:Gate</c>.</summary>
public sealed class GateOptions
{
    public const string Section = "Delivery:Gate";

    /// <summary>How long gate waits for the owning service to answer a request.</summary>
    [Range(1, 600)] public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    [Range(1_024, 64 * 1024 * 1024)] public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
