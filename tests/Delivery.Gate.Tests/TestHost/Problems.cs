using System.Net;
using System.Text.Json.Nodes;

namespace Delivery.Gate.Tests.TestHost;

/// <summary>Assertions on gate's <c>application/problem+json</c> answers.</summary>
public static class Problems
{
    /// <summary>
    /// Asserts the response is a problem+json with the status, whose <c>detail</c> mentions every
    /// given fragment (case-insensitive); returns the detail.
    /// </summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, params string[] mentions)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, problem["status"]?.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), $"The problem has no title: {body}");
        var detail = problem["detail"]?.GetValue<string>() ?? "";
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, detail, StringComparison.OrdinalIgnoreCase);
        }
        return detail;
    }

    /// <summary>
    /// A problem's <c>errors</c> extension (JSON path of a field -> its messages, as ASP.NET's ValidationProblemDetails
    /// has it); empty when the problem has none.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"];
        return errors is null
            ? new Dictionary<string, string[]>()
            : errors.AsObject().ToDictionary(e => e.Key, e => e.Value!.AsArray().Select(m => m!.GetValue<string>()).ToArray());
    }
}
