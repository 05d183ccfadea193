using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Delivery.Clouddriver.Naming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// A local load balancer: its own Kestrel listener on 127.0.0.1 that forwards each request with
/// YARP's <see cref="IHttpForwarder"/> to an Up instance of an enabled server group, picked by
/// <see cref="TrafficTable"/>. A request whose connection to an instance fails is sent to another
/// instance (the failed one is taken out at once), so a dying instance costs clients nothing.
/// <c>GET /metrics</c> is the balancer's own Prometheus metrics, not forwarded.
/// </summary>
public sealed class LocalLoadBalancer : IAsyncDisposable
{
    private static readonly HttpMessageInvoker Client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ActivityHeadersPropagator = null,
    });

    private readonly LocalCloud _cloud;
    private readonly WebApplication _app;
    private readonly IHttpForwarder _forwarder;
    private readonly ForwarderRequestConfig _requestConfig;
    private volatile IReadOnlyDictionary<string, int>? _weights;
    private volatile CachedTable? _table;

    private LocalLoadBalancer(string account, Moniker moniker, LocalCloud cloud, WebApplication app, IReadOnlyDictionary<string, int>? weights)
    {
        Account = account;
        Moniker = moniker;
        Name = moniker.Cluster;
        _cloud = cloud;
        _app = app;
        _weights = weights;
        _forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        _requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(cloud.Options.ForwardTimeoutSeconds) };
        Metrics = new BalancerMetrics(Name);
    }

    public string Account { get; }

    public Moniker Moniker { get; }

    public string Name { get; }

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}";

    public BalancerMetrics Metrics { get; }

    /// <summary>Explicit traffic percent per server group, or null to weight by Up instances.</summary>
    public IReadOnlyDictionary<string, int>? Weights
    {
        get => _weights;
        set
        {
            _weights = value;
            _cloud.Changed();
        }
    }

    /// <summary>Starts listening on <paramref name="port"/> (0: a free one); throws <see cref="IOException"/> when the port is taken.</summary>
    public static async Task<LocalLoadBalancer> StartAsync(string account, Moniker moniker, int port, IReadOnlyDictionary<string, int>? weights, LocalCloud cloud, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = $"loadbalancer-{moniker.Cluster}" });
        builder.Services.AddSingleton(cloud.LoggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddHttpForwarder();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = cloud.Options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var balancer = new LocalLoadBalancer(account, moniker, cloud, app, weights);
        app.Run(balancer.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        balancer.Port = new Uri(address).Port;
        return balancer;
    }

    /// <summary>The routing table now (rebuilt only when the cloud's state changed since the last request).</summary>
    public TrafficTable Table()
    {
        var version = _cloud.Version;
        if (_table is { } cached && cached.Version == version)
        {
            return cached.Table;
        }
        var groups = _cloud.ServerGroups.Values
            .Where(g => g.Account == Account && !g.Disabled && !g.Destroyed && g.LoadBalancers.Contains(Name))
            .Select(g => (g.Name, (IReadOnlyList<LocalInstance>)g.Instances.Where(i => i.Routable).ToList()));
        var table = TrafficTable.Build(groups, _weights);
        _table = new CachedTable(version, table);
        return table;
    }

    private sealed record CachedTable(long Version, TrafficTable Table);

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/metrics" && HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Metrics.WriteAsync(context.Response.Body, context.RequestAborted);
            return;
        }
        var watch = Stopwatch.StartNew();
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            context.Request.EnableBuffering();
        }
        List<LocalInstance>? failed = null;
        string? servedBy = null;
        for (var attempt = 0; attempt < _cloud.Options.ForwardAttempts; attempt++)
        {
            if (Table().Pick(failed) is not { } pick)
            {
                break;
            }
            servedBy = pick.ServerGroup;
            ForwarderError error;
            pick.Instance.BeginRequest();
            try
            {
                error = await _forwarder.SendAsync(context, $"http://127.0.0.1:{pick.Instance.Port}", Client, _requestConfig, HttpTransformer.Default);
            }
            finally
            {
                pick.Instance.EndRequest();
            }
            if (error == ForwarderError.None || context.Response.HasStarted || !Retryable(context, error))
            {
                Metrics.Record(servedBy, context.Response.StatusCode, watch.Elapsed);
                return;
            }
            pick.Instance.ReportConnectFailure();
            (failed ??= []).Add(pick.Instance);
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
            if (context.Request.Body.CanSeek)
            {
                context.Request.Body.Position = 0;
            }
        }
        var status = failed is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway;
        await Results.Problem(
            statusCode: status,
            detail: failed is null
                ? $"Load balancer {Name} has no Up instance of an enabled server group."
                : $"Load balancer {Name} could not reach {failed.Count} instance(s) of its enabled server groups.").ExecuteAsync(context);
        Metrics.Record(failed is null ? null : servedBy, status, watch.Elapsed);
    }

    /// <summary>
    /// A failed connection never reached the instance, so any request may go elsewhere; an idempotent
    /// request may also be resent after the instance died before answering it.
    /// </summary>
    private static bool Retryable(HttpContext context, ForwarderError error)
    {
        if (error != ForwarderError.Request)
        {
            return false;
        }
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var connectFailed = exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
            || exception?.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
        var method = context.Request.Method;
        var idempotent = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);
        return connectFailed || idempotent;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
