using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Delivery.CanaryJudge.Tests.TestHost;

/// <summary>The standalone host (in-memory bus and stores) in the test process, reached over HTTP.</summary>
public class JudgeFactory : WebApplicationFactory<Program>
{
    private readonly IDictionary<string, string?> _settings;

    public JudgeFactory() : this(new Dictionary<string, string?>())
    {
    }

    protected JudgeFactory(IDictionary<string, string?> settings) => _settings = settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Delivery:Bus:Transport", "InMemory");
        builder.UseSetting("Delivery:Store:Kind", "InMemory");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return CreateClient().SendAsync(request);
    }

    public static async Task<JsonNode> OkJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts a problem+json with the status whose detail mentions every fragment; returns the problem.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, params string[] mentions)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        var detail = problem["detail"]?.GetValue<string>() ?? "";
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, detail, StringComparison.Ordinal);
        }
        return problem;
    }
}

/// <summary>A host with small input bounds, to reach them cheaply.</summary>
public sealed class SmallLimitsJudgeFactory() : JudgeFactory(new Dictionary<string, string?>
{
    ["Delivery:CanaryJudge:MaxPointsPerSide"] = "10",
    ["Delivery:CanaryJudge:MaxMetrics"] = "3",
    ["Delivery:CanaryJudge:MaxJudgeBodyBytes"] = "4096",
});

/// <summary>A host that keeps the points of a report only while it stays under 4 KiB.</summary>
public sealed class SmallReportsJudgeFactory() : JudgeFactory(new Dictionary<string, string?>
{
    ["Delivery:CanaryJudge:MaxReportBytes"] = "4096",
});
