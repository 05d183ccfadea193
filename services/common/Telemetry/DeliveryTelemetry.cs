using System.Diagnostics;
using MassTransit.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Delivery.ServiceDefaults.Telemetry;

/// <summary>
/// Metrics and traces of every Delivery host, through one OpenTelemetry SDK.
/// </summary>
/// <remarks>
/// OpenTelemetry rather than prometheus-net: traces need the OpenTelemetry SDK anyway, so one SDK
/// serves both signals with one resource (service name) and one optional OTLP exporter, and
/// instruments stay plain <see cref="System.Diagnostics.Metrics"/> meters that any exporter reads.
/// Its Prometheus exporter (still marked beta, but the OpenTelemetry project's own mapping of
/// instruments to the Prometheus text format) serves <c>/metrics</c>.
/// <para>
/// A service's own instruments live on a <see cref="System.Diagnostics.Metrics.Meter"/> and its
/// spans on an <see cref="ActivitySource"/> whose names start with <see cref="NamePrefix"/>; both
/// are exported without further registration.
/// </para>
/// </remarks>
public static class DeliveryTelemetry
{
    /// <summary>Meters and activity sources named <c>Delivery.*</c> are collected.</summary>
    public const string NamePrefix = "Delivery.";

    /// <summary>The span attribute naming the pipeline execution a span works on.</summary>
    public const string ExecutionIdAttribute = "delivery.execution_id";

    /// <summary>Where Prometheus scrapes every host.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Histogram buckets (seconds) for waits that should be milliseconds: bus and timer lag.</summary>
    public static readonly IReadOnlyList<double> LagBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Histogram buckets (seconds) for work that takes from milliseconds to hours: stages, operations.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400];

    /// <summary>Names the execution that <paramref name="activity"/> (usually <see cref="Activity.Current"/>) works on.</summary>
    public static void TagExecution(Activity? activity, string? executionId)
    {
        if (activity is not null && !string.IsNullOrEmpty(executionId))
        {
            activity.SetTag(ExecutionIdAttribute, executionId);
        }
    }

    /// <summary>
    /// Registers metrics (Delivery meters, ASP.NET Core, HttpClient, MassTransit, bus lag and faults)
    /// and traces (ASP.NET Core, HttpClient, MassTransit, Delivery sources), exported to OTLP only
    /// when <see cref="DeliveryTelemetryOptions.OtlpEndpoint"/> is set.
    /// </summary>
    public static IHostApplicationBuilder AddDeliveryTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeliveryTelemetryOptions>().BindConfiguration(DeliveryTelemetryOptions.Section).ValidateOnStart();
        var options = builder.Configuration.GetSection(DeliveryTelemetryOptions.Section).Get<DeliveryTelemetryOptions>() ?? new();
        builder.Services.AddSingleton<BusMetrics>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(NamePrefix + "*", DiagnosticHeaders.DefaultListenerName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = endpoint);
                }
            });
        // Spans cost CPU on every request and message (measured: GET p99 5.3 ms with them, target 5): only
        // made when they go somewhere. An ActivityListener (a test, dotnet-trace) still sees the sources.
        if (options.OtlpEndpoint is { } traceEndpoint)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
                .AddSource(NamePrefix + "*", DiagnosticHeaders.DefaultListenerName)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsHousekeeping(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = traceEndpoint));
        }
        return builder;
    }

    /// <summary>Serves the Prometheus text format at <see cref="MetricsPath"/>.</summary>
    public static WebApplication MapDeliveryMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        return app;
    }

    // Scrapes and health probes every few seconds would drown the traces worth reading.
    private static bool IsHousekeeping(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
