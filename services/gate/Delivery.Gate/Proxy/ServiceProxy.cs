using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delivery.Gate.Proxy;

/// <summary>
/// Gate as the one front door in distributed mode, as Spinnaker's gate fronts clouddriver, kayenta and echo: the
/// routes of each service configured in <see cref="ServiceProxyOptions"/> are forwarded to it with YARP's direct
/// forwarder (path, query, method, headers and body as they came). An unreachable service answers 502.
/// </summary>
public static class ServiceProxy
{
    /// <summary>The route patterns forwarded to each service.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Routes = new Dictionary<string, string[]>
    {
        [nameof(ServiceProxyOptions.Clouddriver)] =
        [
            "/credentials/{**rest}", "/applications/{app}/clusters/{**rest}", "/applications/{app}/serverGroups/{**rest}",
            "/applications/{app}/loadBalancers/{**rest}", "/instances/{**rest}", "/manifests/{**rest}", "/clouddriver/{**rest}",
        ],
        [nameof(ServiceProxyOptions.CanaryJudge)] = ["/v2/{**rest}"],
        [nameof(ServiceProxyOptions.Echo)] = ["/webhooks/{**rest}", "/notifications/{**rest}"],
    };

    public static IServiceCollection AddServiceProxy(this IServiceCollection services)
    {
        services.AddOptions<ServiceProxyOptions>().BindConfiguration(ServiceProxyOptions.Section)
            .Validate(o => new[] { o.Clouddriver, o.CanaryJudge, o.Echo }.All(u => u is null || (u.IsAbsoluteUri && u.Scheme is "http" or "https")),
                "Delivery:Gate:Services: each address must be an absolute http(s) URL.")
            .ValidateOnStart();
        services.AddHttpForwarder();
        return services;
    }

    public static IEndpointRouteBuilder MapServiceProxy(this IEndpointRouteBuilder routes)
    {
        var options = routes.ServiceProvider.GetRequiredService<IOptions<ServiceProxyOptions>>().Value;
        foreach (var (service, address) in new[]
        {
            (nameof(ServiceProxyOptions.Clouddriver), options.Clouddriver),
            (nameof(ServiceProxyOptions.CanaryJudge), options.CanaryJudge),
            (nameof(ServiceProxyOptions.Echo), options.Echo),
        })
        {
            if (address is null)
            {
                continue;
            }
            foreach (var pattern in Routes[service])
            {
                routes.MapForwarder(pattern, address.ToString().TrimEnd('/')).ExcludeFromDescription();
            }
        }
        return routes;
    }
}
