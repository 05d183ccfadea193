using Delivery.CanaryJudge.Analysis;
using Delivery.CanaryJudge.Api;
using Delivery.CanaryJudge.Configs;
using Delivery.CanaryJudge.Judge;
using Delivery.CanaryJudge.Metrics;
using Delivery.CanaryJudge.Reports;
using Delivery.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge;

/// <summary>Registers the canary judge (configs, judge, reports) into a host, as standalone and the judge's own host do.</summary>
public static class CanaryJudgeExtensions
{
    /// <summary>The queue every canary-judge replica consumes its commands (<see cref="Contracts.CanaryJudge.JudgeCanaryInterval"/>, <see cref="Contracts.CanaryJudge.MeasureMetrics"/>) from.</summary>
    public const string Queue = "delivery-canary-judge";

    public static IHostApplicationBuilder AddCanaryJudge(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CanaryJudgeOptions>().BindConfiguration(CanaryJudgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // A route value of the wrong form is the client's mistake: a 400 problem, never an exception page.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);

        var store = builder.Configuration.GetSection(DeliveryStoreOptions.Section).Get<DeliveryStoreOptions>() ?? new();
        if (store.Kind == StoreKind.Redis)
        {
            services.AddSingleton<CanaryJudgeRedisKeys>();
            services.AddSingleton<ICanaryConfigStore, RedisCanaryConfigStore>();
            services.AddSingleton<ICanaryReportStore, RedisCanaryReportStore>();
        }
        else
        {
            services.AddSingleton<ICanaryConfigStore, InMemoryCanaryConfigStore>();
            services.AddSingleton<ICanaryReportStore, InMemoryCanaryReportStore>();
        }
        services.AddOptions<PrometheusOptions>().BindConfiguration(PrometheusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(PrometheusMetricSource.HttpClientName, (sp, http) =>
        {
            var prometheus = sp.GetRequiredService<IOptions<PrometheusOptions>>().Value;
            http.Timeout = TimeSpan.FromSeconds(prometheus.TimeoutSeconds);
            http.MaxResponseContentBufferSize = prometheus.MaxResponseBytes;
        });
        services.AddOptions<LocalMetricsOptions>().BindConfiguration(LocalMetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PrometheusMetricSource>();
        services.AddSingleton<IMetricSource>(sp => sp.GetRequiredService<PrometheusMetricSource>());
        services.AddSingleton<IMetricSource, LocalBalancerMetricSource>();
        services.AddSingleton<CanaryIntervalRunner>();
        services.AddSingleton<MetricMeasurementRunner>();
        services.AddDeliveryConsumers(x =>
        {
            x.AddConsumer<JudgeCanaryIntervalConsumer>().Endpoint(e => e.Name = Queue);
            x.AddConsumer<MeasureMetricsConsumer>().Endpoint(e => e.Name = Queue);
        });
        services.AddSingleton(sp => new NetflixAcaJudge(sp.GetRequiredService<IOptions<CanaryJudgeOptions>>().Value.ConfidenceLevel));
        return builder;
    }

    public static WebApplication MapCanaryJudge(this WebApplication app)
    {
        app.MapCanaryConfigEndpoints();
        app.MapJudgeEndpoints();
        return app;
    }
}
