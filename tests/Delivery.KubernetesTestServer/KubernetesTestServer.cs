using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer.Api;
using Delivery.KubernetesTestServer.Controllers;
using Delivery.KubernetesTestServer.Json;
using Delivery.KubernetesTestServer.Security;
using Delivery.KubernetesTestServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delivery.KubernetesTestServer;

/// <summary>
/// A Kubernetes API server for tests, on http(s)://127.0.0.1:{free port}: discovery, CRUD, server-side apply, patches,
/// watch, and the scale and status subresources, over an in-memory store, with simulated controllers (Deployment ->
/// ReplicaSet -> Pods, readiness after <see cref="KubernetesTestServerOptions.PodReadyDelay"/>); optionally over HTTPS
/// and requiring a bearer token. Not a cluster: no scheduling, no containers, no authorization (RBAC).
/// </summary>
public sealed class KubernetesTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatedControllers _controllers;
    private readonly Authentication _authentication;
    private readonly X509Certificate2? _certificate;

    private KubernetesTestServer(WebApplication app, ObjectStore store, ResourceTypes types, SimulatedControllers controllers, Uri url, Authentication authentication, X509Certificate2? certificate, string? caPem)
    {
        (_app, Store, Types, _controllers, Url, _authentication, _certificate, CertificateAuthorityPem) = (app, store, types, controllers, url, authentication, certificate, caPem);
    }

    /// <summary>The server's base address.</summary>
    public Uri Url { get; }

    /// <summary>The PEM of the CA that signed the server's certificate (a pod's <c>ca.crt</c>); null over plain HTTP.</summary>
    public string? CertificateAuthorityPem { get; }

    /// <summary>Accepts <paramref name="token"/> from now on (a token issued), if the server authenticates at all.</summary>
    public void AcceptToken(string token) => _authentication.Tokens[token] = 0;

    /// <summary>Refuses <paramref name="token"/> from now on (a token expired).</summary>
    public void RevokeToken(string token) => _authentication.Tokens.TryRemove(token, out _);

    /// <summary>The stored objects (read them, or write as a controller would).</summary>
    public ObjectStore Store { get; }

    /// <summary>The served resources.</summary>
    public ResourceTypes Types { get; }

    /// <summary>
    /// The switch to fail rollouts: pods of <paramref name="image"/> never become Ready (so a Deployment rolling out to it
    /// exceeds its progress deadline) while <paramref name="failing"/>; pods started afterwards get Ready again once cleared.
    /// </summary>
    public void FailImage(string image, bool failing = true)
    {
        if (failing)
        {
            _controllers.FailingImages[image] = 0;
        }
        else
        {
            _controllers.FailingImages.TryRemove(image, out _);
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<KubernetesTestServer> StartAsync(KubernetesTestServerOptions? options = null)
    {
        options ??= new KubernetesTestServerOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var (certificate, caPem) = options.Tls ? ServerCertificates.Create() : (null, null);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var types = new ResourceTypes();
        var store = new ObjectStore(TimeProvider.System, options.HistoryLimit);
        var namespaces = types.Find("", "v1", "namespaces")!;
        foreach (var ns in options.Namespaces)
        {
            store.Write(namespaces, null, ns, _ => new JsonObject { ["metadata"] = new JsonObject(), ["status"] = new JsonObject { ["phase"] = "Active" } });
        }
        var handlers = new ResourceHandlers(store, types, options);
        var authentication = new Authentication(options.BearerTokens.Count > 0);
        options.BearerTokens.ForEach(t => authentication.Tokens[t] = 0);
        app.Map("/{**path}", (HttpContext http) => ServeAsync(http, handlers, types, authentication));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var controllers = new SimulatedControllers(store, types, options);
        controllers.Start();
        return new KubernetesTestServer(app, store, types, controllers, new Uri(address), authentication, certificate, caPem);
    }

    /// <summary>
    /// Writes a kubeconfig whose context <paramref name="context"/> points at this server (trusting its CA), with
    /// <paramref name="token"/>, and returns its path.
    /// </summary>
    public string WriteKubeconfig(string path, string context = "test", string? ns = null, string token = "test-token")
    {
        var ca = CertificateAuthorityPem is null ? "" : $"\n    certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(CertificateAuthorityPem))}";
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {context}
              cluster:
                server: {Url.ToString().TrimEnd('/')}{ca}
            users:
            - name: {context}
              user:
                token: {token}
            contexts:
            - name: {context}
              context:
                cluster: {context}
                user: {context}
                namespace: {ns ?? "default"}
            current-context: {context}
            """);
        return path;
    }

    /// <summary>The simulated controllers' last failure (a bug in them), null when none: tests may show it.</summary>
    public Exception? LastControllerError => _controllers.LastError;

    /// <summary>Forgets the watch history and ends every open watch with 410 Gone (clients must relist).</summary>
    public void ExpireWatches() => Store.ExpireWatches();

    public async ValueTask DisposeAsync()
    {
        await _controllers.DisposeAsync();
        Store.ExpireWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate?.Dispose();
    }

    private static async Task ServeAsync(HttpContext http, ResourceHandlers handlers, ResourceTypes types, Authentication authentication)
    {
        var segments = (http.Request.Path.Value ?? "").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            if (!authentication.Allows(http.Request.Headers.Authorization.ToString()))
            {
                throw new ApiStatusException(401, "Unauthorized", "Unauthorized");
            }
            var answer = Discover(http, segments, types);
            if (answer is null && ResourceRequest.Parse(types, segments) is { } request)
            {
                answer = await handlers.HandleAsync(http, request);
                if (answer is null)
                {
                    return;
                }
            }
            if (answer is null)
            {
                throw new ApiStatusException(404, "NotFound", "the server could not find the requested resource");
            }
            await WriteAsync(http, answer);
        }
        catch (ApiStatusException e)
        {
            if (!http.Response.HasStarted)
            {
                http.Response.StatusCode = e.Code;
                await WriteAsync(http, e.ToStatus());
            }
        }
    }

    private static JsonObject? Discover(HttpContext http, string[] segments, ResourceTypes types)
    {
        if (http.Request.Method != "GET")
        {
            return null;
        }
        return segments switch
        {
            ["version"] => Discovery.Version(),
            ["api"] => Discovery.CoreVersions($"{http.Request.Host}"),
            ["api", var v] => Discovery.Resources(types, "", v),
            ["apis"] => Discovery.Groups(types),
            ["apis", var g] => Discovery.Group(types, g),
            ["apis", var g, var v] => Discovery.Resources(types, g, v),
            ["openapi", "v3"] => Discovery.OpenApiIndex(types),
            ["openapi", "v3", .. var rest] => Discovery.OpenApiGroupVersion(types, string.Join('/', rest)),
            _ => null,
        };
    }

    private static async Task WriteAsync(HttpContext http, JsonObject answer)
    {
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(answer.ToJsonString());
    }

    /// <summary>The accepted bearer tokens, changed by tests while requests are served.</summary>
    private sealed class Authentication(bool required)
    {
        public ConcurrentDictionary<string, byte> Tokens { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether a request with this <c>Authorization</c> header is served.</summary>
        public bool Allows(string authorization) =>
            !required || (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && Tokens.ContainsKey(authorization["Bearer ".Length..]));
    }
}
