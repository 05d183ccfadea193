using System.Text.Json.Nodes;

namespace Delivery.Clouddriver.Tests.TestHost;

/// <summary>Operation bodies as a pipeline stage or a script would send them.</summary>
public static class Ops
{
    public static JsonObject Hello(string application, string? stack, string version, int desired, params string[] loadBalancers) => new()
    {
        ["account"] = "local",
        ["application"] = application,
        ["stack"] = stack,
        ["capacity"] = new JsonObject { ["min"] = 0, ["max"] = Math.Max(desired, 4), ["desired"] = desired },
        ["artifact"] = new JsonObject { ["command"] = "dotnet", ["args"] = new JsonArray(ClouddriverHost.HelloDll) },
        ["env"] = new JsonObject { ["VERSION"] = version },
        ["healthCheckPath"] = "/health",
        ["loadBalancers"] = new JsonArray([.. loadBalancers.Select(n => (JsonNode)n)]),
    };

    public static JsonObject ServerGroup(string name) => new() { ["account"] = "local", ["serverGroupName"] = name };

    public static JsonObject LoadBalancer(string name, JsonObject? weights = null)
    {
        var body = new JsonObject { ["account"] = "local", ["name"] = name };
        if (weights is not null)
        {
            body["weights"] = weights;
        }
        return body;
    }

    public static string Name(JsonObject result) => result["serverGroupName"]!.GetValue<string>();

    /// <summary>Polls until the condition holds or the timeout passes; true when it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, int pollMs = 25)
    {
        var deadline = DateTime.UtcNow + timeout;
        do
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(pollMs);
        }
        while (DateTime.UtcNow < deadline);
        return false;
    }

    public static bool ProcessGone(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
