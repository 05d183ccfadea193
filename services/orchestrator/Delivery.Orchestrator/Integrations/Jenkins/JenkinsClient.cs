using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Delivery.ServiceDefaults.Http;

namespace Delivery.Orchestrator.Integrations.Jenkins;

/// <summary>A failed call to a Jenkins master; <see cref="Retryable"/> for 5xx answers and connection errors.</summary>
public sealed class JenkinsException(string message, HttpStatusCode? status, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;

    public bool Retryable => Status is null || (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests;
}

/// <summary>
/// The parts of the Jenkins remote access API the <c>jenkins</c> stage needs: trigger a build (with a CSRF
/// crumb from <c>crumbIssuer/api/json</c> when the master issues one), read the queue item, the build and an
/// artifact. Every call uses the master's Basic credentials.
/// </summary>
public sealed class JenkinsClient(IHttpClientFactory clients, IOptionsMonitor<JenkinsOptions> options)
{
    public const string HttpClientName = "jenkins";

    public JenkinsMasterOptions? Master(string name) => options.CurrentValue.Masters.GetValueOrDefault(name);

    public IReadOnlyList<string> MasterNames => [.. options.CurrentValue.Masters.Keys.Order()];

    /// <summary>The job's URL: folders (<c>team/app</c>) become <c>job/team/job/app/</c>.</summary>
    public static Uri JobUri(JenkinsMasterOptions master, string job) =>
        new(master.BaseUri, string.Concat(job.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => $"job/{Uri.EscapeDataString(p)}/")));

    public static Uri BuildUri(JenkinsMasterOptions master, string job, long number) => new(JobUri(master, job), $"{number}/");

    /// <summary>Queues a build (<c>buildWithParameters</c>, or <c>build</c> without parameters); returns the queue item's URL.</summary>
    public async Task<Uri> TriggerBuildAsync(JenkinsMasterOptions master, string job, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(HttpClientName);
        var crumb = await CrumbAsync(http, master, cancellationToken);
        var url = new Uri(JobUri(master, job), parameters.Count > 0 ? "buildWithParameters" : "build");
        using var request = Request(HttpMethod.Post, url, master);
        request.Content = new FormUrlEncodedContent(parameters);
        if (crumb is { } c)
        {
            request.Headers.TryAddWithoutValidation(c.Field, c.Value);
            if (c.Cookies is { Length: > 0 } cookies)
            {
                request.Headers.TryAddWithoutValidation("Cookie", cookies);
            }
        }
        using var response = await SendAsync(http, request, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted))
        {
            throw await FailureAsync(response, $"Jenkins refused to build job '{job}'", cancellationToken);
        }
        if (response.Headers.Location is not { } location)
        {
            throw new JenkinsException($"Jenkins queued job '{job}' but its answer has no Location header naming the queue item.", response.StatusCode);
        }
        return location.IsAbsoluteUri ? location : new Uri(master.BaseUri, location);
    }

    public async Task<JsonObject> GetJsonAsync(JenkinsMasterOptions master, Uri url, CancellationToken cancellationToken)
    {
        var text = await GetTextAsync(master, new Uri(url, "api/json"), cancellationToken);
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new JenkinsException($"Jenkins answered {url}api/json with something other than a JSON object: {e.Message}", HttpStatusCode.OK, e);
        }
    }

    public async Task<string> GetTextAsync(JenkinsMasterOptions master, Uri url, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(HttpClientName);
        using var request = Request(HttpMethod.Get, url, master);
        using var response = await SendAsync(http, request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, $"GET {url} failed", cancellationToken);
        }
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>The crumb to send with a POST, or null when the master has CSRF protection off (no crumb issuer).</summary>
    private static async Task<(string Field, string Value, string? Cookies)?> CrumbAsync(HttpClient http, JenkinsMasterOptions master, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, new Uri(master.BaseUri, "crumbIssuer/api/json"), master);
        using var response = await SendAsync(http, request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, "Jenkins did not issue a CSRF crumb", cancellationToken);
        }
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (json?["crumb"]?.GetValue<string>() is not { } crumb || json["crumbRequestField"]?.GetValue<string>() is not { } field)
        {
            throw new JenkinsException("Jenkins answered crumbIssuer/api/json without 'crumb' and 'crumbRequestField'.", response.StatusCode);
        }
        // Since Jenkins 2.176 a crumb is valid only in the web session it was issued in.
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var set)
            ? string.Join("; ", set.Select(c => c.Split(';', 2)[0].Trim()))
            : null;
        return (field, crumb, cookies);
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri url, JenkinsMasterOptions master)
    {
        var request = new HttpRequestMessage(method, url);
        if (!string.IsNullOrEmpty(master.Username))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{master.Username}:{master.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }
        return request;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (OutboundCallRefusedException.Find(e) is { } refused)
        {
            // Not retryable: a status outside 5xx/429 makes the task fail at once.
            throw new JenkinsException(refused.Message, HttpStatusCode.Forbidden, refused);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new JenkinsException($"{request.Method} {request.RequestUri} failed: {e.Message}", null, e);
        }
    }

    private static async Task<JenkinsException> FailureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var excerpt = body.Length > 300 ? body[..300] + "..." : body;
        return new JenkinsException($"{what}: {(int)response.StatusCode} {response.ReasonPhrase}{(excerpt.Length > 0 ? $" ({excerpt.Trim()})" : "")}", response.StatusCode);
    }
}
