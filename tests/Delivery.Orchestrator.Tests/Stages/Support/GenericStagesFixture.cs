using Delivery.Orchestrator.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Orchestrator.Tests.Stages.Support;

/// <summary>
/// The standalone host with fast polls and backoffs, a fake Jenkins configured as masters <c>ci</c> (Basic
/// auth and CSRF crumbs) and <c>legacy</c> (neither), and a time zone in which it is about noon, so
/// execution-window tests can place windows relative to "now".
/// </summary>
public sealed class GenericStagesFixture : IDisposable
{
    public GenericStagesFixture()
    {
        Zone = ZoneWhereItIs(new TimeSpan(12, 0, 0));
        Factory = new StandaloneFactory(
            services =>
            {
                TestStages.Register(services);
                services.AddSingleton<TimeProvider>(new ZonedTimeProvider(Zone));
            },
            FastSettings(Jenkins));
        Client = Factory.CreateDeliveryClient();
    }

    public FakeJenkins Jenkins { get; } = new();

    public StandaloneFactory Factory { get; }

    public DeliveryClient Client { get; }

    public TimeZoneInfo Zone { get; }

    public static Dictionary<string, string?> FastSettings(FakeJenkins jenkins) => new()
    {
        ["Delivery:Jenkins:Masters:ci:Address"] = jenkins.Address.ToString(),
        ["Delivery:Jenkins:Masters:ci:Username"] = FakeJenkins.User,
        ["Delivery:Jenkins:Masters:ci:Password"] = FakeJenkins.Token,
        ["Delivery:Jenkins:Masters:legacy:Address"] = jenkins.LegacyAddress.ToString(),
        ["Delivery:Jenkins:PollInterval"] = "00:00:00.030",
        // The stubs listen on 127.0.0.1, which the outbound policy refuses unless allowed.
        ["Delivery:Http:AllowLoopback"] = "true",
        ["Delivery:Webhook:RetryBackoff"] = "00:00:00.020",
        ["Delivery:Webhook:MaxRetryBackoff"] = "00:00:00.100",
        ["Delivery:Webhook:MonitorPollInterval"] = "00:00:00.030",
        // Shallow, so that the nesting limit is reached by a short recursion.
        ["Delivery:Orchestrator:MaxPipelineDepth"] = "3",
    };

    /// <summary>A fixed-offset zone in which the local time is now about <paramref name="localTime"/>.</summary>
    public static TimeZoneInfo ZoneWhereItIs(TimeSpan localTime)
    {
        var offset = localTime - DateTimeOffset.UtcNow.TimeOfDay;
        offset = TimeSpan.FromMinutes(Math.Round(offset.TotalMinutes));
        if (offset > TimeSpan.FromHours(12))
        {
            offset -= TimeSpan.FromDays(1);
        }
        else if (offset < TimeSpan.FromHours(-12))
        {
            offset += TimeSpan.FromDays(1);
        }
        return TimeZoneInfo.CreateCustomTimeZone("Test/AboutNoon", offset, "About noon", "About noon");
    }

    public void Dispose()
    {
        Factory.Dispose();
        Jenkins.Dispose();
    }

    /// <summary>Real time, with a chosen local time zone (only the execution-window task reads it).</summary>
    private sealed class ZonedTimeProvider(TimeZoneInfo zone) : TimeProvider
    {
        public override TimeZoneInfo LocalTimeZone => zone;
    }
}

[CollectionDefinition(nameof(GenericStagesCollection))]
public sealed class GenericStagesCollection : ICollectionFixture<GenericStagesFixture>;
