using System.ComponentModel.DataAnnotations;

namespace Delivery.Orchestrator.Integrations.Webhooks;

/// <summary>Webhook stage settings, bound from <c>Delivery:Webhook</c>; defaults follow Spinnaker's Orca.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Delivery:Webhook";

    /// <summary>First delay before sending again after a 5xx, a retryable status or a connection error; it doubles up to <see cref="MaxRetryBackoff"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the create task keeps retrying before the stage fails (Orca: 5 minutes).</summary>
    public TimeSpan CreateTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a status URL is polled (Orca: 1 s, then every 15 s once the monitor has run a minute).</summary>
    public TimeSpan MonitorPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan SlowMonitorPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the monitor waits for a final status unless the stage sets <c>stageTimeoutMs</c> (Orca: 1 hour).</summary>
    public TimeSpan MonitorTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Status codes retried besides 5xx (Orca's <c>webhook.default-retry-status-codes</c>).</summary>
    public List<int> DefaultRetryStatusCodes { get; set; } = [429];

    /// <summary>Response bodies longer than this are not kept in the stage context.</summary>
    [Range(1_024, 64 * 1024 * 1024)] public int MaxResponseBytes { get; set; } = 1024 * 1024;
}
