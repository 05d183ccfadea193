namespace Delivery.ServiceDefaults.Telemetry;

/// <summary>Where traces and metrics go besides <c>/metrics</c>, bound from <c>Delivery:Telemetry</c>.</summary>
public sealed class DeliveryTelemetryOptions
{
    public const string Section = "Delivery:Telemetry";

    /// <summary>
    /// An OTLP collector (e.g. <c>http://127.0.0.1:4317</c>) that receives traces and metrics.
    /// Unset (the default), nothing is exported: traces stay in the process, metrics are only scraped.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }
}
