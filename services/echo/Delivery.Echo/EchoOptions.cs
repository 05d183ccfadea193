using System.ComponentModel.DataAnnotations;

namespace Delivery.Echo;

/// <summary>Echo's settings, bound from <c>Delivery:Echo</c>.</summary>
public sealed class EchoOptions
{
    public const string Section = "Delivery:Echo";

    /// <summary>
    /// How often the trigger index is rebuilt from the saved pipeline configs, in seconds. A saved or deleted
    /// pipeline reaches the index at once through the orchestrator's config events; the rebuild is the safety
    /// net for an event this replica missed (a publish that failed, a broker outage), which it bounds to this long.
    /// </summary>
    [Range(1, 3600)] public int IndexRefreshSeconds { get; set; } = 60;

    /// <summary>The largest trigger payload (webhook, docker, jenkins) taken, in bytes; a larger one is a 413.</summary>
    [Range(1024, 16 * 1024 * 1024)] public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long an event id is remembered so that a duplicate delivery starts nothing, in hours.</summary>
    [Range(1, 24 * 30)] public int DeduplicationHours { get; set; } = 24;

    /// <summary>A cron tick missed while no echo ran fires once at start-up if it is at most this old, in seconds (0: never).</summary>
    [Range(0, 7 * 24 * 3600)] public int CronMisfireGraceSeconds { get; set; } = 300;

    /// <summary>Pipelines started by one trigger event at most (a bound on what one call can set off).</summary>
    [Range(1, 1000)] public int MaxExecutionsPerEvent { get; set; } = 50;

    /// <summary>
    /// How many ancestors (the <c>trigger.parentExecution</c> chain) an execution started by a <c>pipeline</c> trigger may
    /// have; an execution that would have more is not started (a warning names the chain). Spinnaker has no such bound:
    /// this is Delivery's stop for chains that loop (A triggers B, B triggers A), which would otherwise run forever.
    /// Each ancestor nests the whole parent execution in the trigger, two JSON levels deeper, so a chain much deeper
    /// than this would also approach the 64 levels JSON readers take by default.
    /// </summary>
    [Range(1, 24)] public int MaxPipelineTriggerDepth { get; set; } = 16;

    /// <summary>How long echo waits for the orchestrator to answer one request, in seconds.</summary>
    [Range(1, 300)] public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Per-source settings of <c>POST /webhooks/webhook/{source}</c>, keyed by source. A source with a
    /// <see cref="WebhookSource.Secret"/> takes only calls signed with it.
    /// </summary>
    public Dictionary<string, WebhookSource> Webhooks { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Settings of one webhook source.</summary>
public sealed class WebhookSource
{
    /// <summary>
    /// Shared secret: a call must carry <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c>
    /// (GitHub's scheme, which most webhook senders can produce), else it gets a 401.
    /// </summary>
    public string? Secret { get; set; }
}
