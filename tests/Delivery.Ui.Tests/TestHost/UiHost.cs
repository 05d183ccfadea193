using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Delivery.Ui.Tests.TestHost;

/// <summary>
/// The standalone host (gate serving the built UI, orchestrator, clouddriver, canary judge; in-memory bus and
/// stores) on a free 127.0.0.1 port, and Debian's Chromium driven by Playwright (headless, never downloaded).
/// One per test collection: the browser tests share it.
/// </summary>
public sealed class UiHost : IAsyncLifetime
{
    /// <summary>The system's Chromium (Debian package <c>chromium</c>).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "delivery-ui-tests", Guid.NewGuid().ToString("N"));
    private Factory? _factory;
    private IPlaywright? _playwright;

    /// <summary>Gate's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Path.Combine(Repo.UiDist, "index.html")), $"The UI is not built at {Repo.UiDist}: build services/standalone (it runs npm run build).");
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install -y chromium.");
        _factory = new Factory(_stateDirectory);
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        // A shared, busy machine: assertions wait longer than Playwright's 5 s before failing.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in a container has no user namespaces for Chromium's sandbox; the network is closed, so
            // Chromium's own background connections (updates, sync, QUIC probes) are turned off.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh page (own context) with a desktop-sized viewport; <paramref name="user"/> acts (X-SPINNAKER-USER).</summary>
    public async Task<IPage> NewPageAsync(string user = "ui-test")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        await context.AddInitScriptAsync($"localStorage.setItem('delivery.user', '{user}')");
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves a full-page screenshot as docs/screenshots/<paramref name="name"/>.png.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Repo.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repo.Screenshots, $"{name}.png"), FullPage = true });
    }

    /// <summary>POSTs JSON to gate and fails the test with the problem if it is not a success.</summary>
    public async Task<JsonNode?> PostAsync(string path, JsonNode body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Http?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A stopped instance may still hold a log file for a moment; the folder is under the temp directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class Factory(string stateDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Delivery:Bus:Transport", "InMemory");
            builder.UseSetting("Delivery:Store:Kind", "InMemory");
            builder.UseSetting("Delivery:Gate:UiPath", Repo.UiDist);
            builder.UseSetting("Delivery:Clouddriver:Local:StateDirectory", stateDirectory);
            builder.UseSetting("Delivery:Clouddriver:Local:InstanceStartupTimeoutSeconds", "60");
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        }
    }
}

/// <summary>The browser tests share one host and browser, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiHost>
{
    public const string Name = "ui";
}
