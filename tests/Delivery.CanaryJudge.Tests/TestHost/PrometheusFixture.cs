using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delivery.CanaryJudge.Tests.TestHost;

/// <summary>
/// A real Prometheus (the shared <see cref="PrometheusServer"/>) scraping every second a small <c>/metrics</c>
/// endpoint this fixture serves on 127.0.0.1: an error gauge per scope and two replicas of a request gauge for the
/// canary. When <see cref="InitializeAsync"/> returns, Prometheus has scraped it; both are stopped afterwards.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime
{
    public const string Exposition = """
        # TYPE judge_test_errors gauge
        judge_test_errors{scope="baseline",location="local"} 1
        judge_test_errors{scope="canary",location="local"} 4
        # TYPE judge_test_requests gauge
        judge_test_requests{scope="canary",replica="a"} 10
        judge_test_requests{scope="canary",replica="b"} 5

        """;

    private readonly PrometheusServer _prometheus = new();
    private WebApplication? _metrics;

    public string BaseUrl => _prometheus.BaseUrl;

    /// <summary>A moment from which every second has a scraped value.</summary>
    public DateTimeOffset DataSince { get; private set; }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _metrics = builder.Build();
        _metrics.MapGet("/metrics", () => Results.Text(Exposition, "text/plain; version=0.0.4"));
        await _metrics.StartAsync();
        var target = new Uri(_metrics.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;

        await _prometheus.InitializeAsync();
        await _prometheus.ScrapeAsync("judge-test", target, new Dictionary<string, string>());
        await _prometheus.WaitForTargetAsync(target);
        var first = await _prometheus.QueryAsync("judge_test_errors");
        DataSince = first[0].Time.AddSeconds(2);
    }

    public async Task DisposeAsync()
    {
        await _prometheus.DisposeAsync();
        if (_metrics is not null)
        {
            await _metrics.DisposeAsync();
        }
    }
}
