using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Delivery.Gate;

/// <summary>
/// Serves the web UI (the built <c>ui/</c> folder) at <c>/</c>: its files as they are, and
/// <c>index.html</c> for any other page a browser asks for, so that the UI's own routes survive a
/// reload. API requests never reach it: a request that matched an endpoint (including a 405) passes
/// through, and an unmatched one under an API prefix, or one that does not ask for HTML, still gets
/// the 404 problem.
/// </summary>
public static class GateUi
{
    /// <summary>The folder that holds the built UI (its <c>index.html</c>); configuration key.</summary>
    public const string UiPathKey = "Delivery:Gate:UiPath";

    /// <summary>First path segments of the API; the UI's client-side routes must not use them.</summary>
    public static readonly IReadOnlySet<string> ApiPrefixes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "applications", "pipelines", "executions", "events", "credentials", "instances", "clouddriver",
        "v2", "openapi", "scalar", "metrics", "health", "tasks", "manifests", "webhooks", "notifications",
    };

    /// <summary>
    /// Maps the UI when its folder exists: <c>Delivery:Gate:UiPath</c>, else the <c>ui</c> folder
    /// shipped beside the application (services/standalone's build copies <c>ui/dist</c> there).
    /// A host without a UI folder serves the API only.
    /// </summary>
    public static WebApplication MapGateUi(this WebApplication app)
    {
        var configured = app.Configuration[UiPathKey];
        var root = Path.GetFullPath(configured ?? Path.Combine(AppContext.BaseDirectory, "ui"), app.Environment.ContentRootPath);
        var index = Path.Combine(root, "index.html");
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GateUi));
        if (!File.Exists(index))
        {
            if (configured is not null)
            {
                throw new InvalidOperationException($"{UiPathKey} is '{configured}', but '{index}' does not exist; build the UI (npm run build in ui/).");
            }
            log.LogInformation("No web UI at {Root}; gate serves the API only.", root);
            return app;
        }
        log.LogInformation("Serving the web UI from {Root}.", root);
        var files = new PhysicalFileProvider(root);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Vite names the files under assets/ by their content hash; index.html must always be fresh.
            OnPrepareResponse = c => c.Context.Response.Headers[HeaderNames.CacheControl] =
                c.Context.Request.Path.StartsWithSegments("/assets") ? "public,max-age=31536000,immutable" : "no-cache",
        });
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint() is null && IsPageRequest(http.Request))
            {
                http.Response.ContentType = "text/html; charset=utf-8";
                http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
                await http.Response.SendFileAsync(files.GetFileInfo("index.html"), http.RequestAborted);
                return;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>A browser navigating to one of the UI's pages: GET/HEAD, asks for HTML, outside the API's prefixes.</summary>
    public static bool IsPageRequest(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }
        var accepts = request.GetTypedHeaders().Accept;
        if (!accepts.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        var path = request.Path.Value ?? "/";
        var first = path.TrimStart('/').Split('/', 2)[0];
        return !ApiPrefixes.Contains(first);
    }
}
