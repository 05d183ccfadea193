using System.Text.Json.Nodes;

namespace Delivery.KubernetesTestServer.Storage;

/// <summary>The defaults the API server fills in on write, for the fields clients and the simulated controllers read.</summary>
internal static class Defaults
{
    public static void Apply(ResourceType type, JsonObject obj)
    {
        if (type.Group is not ("apps" or "batch") || obj["spec"] is not JsonObject spec)
        {
            return;
        }
        if (type.Kind == "Job")
        {
            spec["completions"] ??= 1;
            spec["parallelism"] ??= 1;
            spec["backoffLimit"] ??= 6;
            return;
        }
        if (type.Kind != "DaemonSet")
        {
            spec["replicas"] ??= 1;
        }
        spec["revisionHistoryLimit"] ??= 10;
        if (type.Kind == "StatefulSet")
        {
            spec["podManagementPolicy"] ??= "OrderedReady";
            spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } };
        }
        if (type.Kind == "DaemonSet")
        {
            spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 } };
        }
        if (type.Kind == "Deployment")
        {
            spec["progressDeadlineSeconds"] ??= 600;
            spec["strategy"] ??= new JsonObject { ["type"] = "RollingUpdate" };
            if (spec["strategy"]!["type"]?.GetValue<string>() is null or "RollingUpdate")
            {
                spec["strategy"]!["type"] = "RollingUpdate";
                var rolling = spec["strategy"]!["rollingUpdate"] as JsonObject ?? [];
                rolling["maxSurge"] ??= "25%";
                rolling["maxUnavailable"] ??= "25%";
                spec["strategy"]!["rollingUpdate"] = rolling;
            }
        }
    }
}
