using System.Text.Json.Nodes;
using Delivery.Echo.Index;

namespace Delivery.Echo.Triggers;

/// <summary>A finished build, from the Jenkins Notification plugin's body.</summary>
public sealed record JenkinsBuild(string Job, long Number, string Phase, string? Status, JsonObject Body);

/// <summary>
/// Spinnaker's <c>jenkins</c> trigger: fires when a build of <c>job</c> on <c>master</c> completes with
/// <c>SUCCESS</c> (Igor's rule; the Notification plugin's <c>COMPLETED</c> and <c>FINALIZED</c> phases both
/// count, and the build number makes them one event). <c>trigger.buildInfo</c> carries the build as Igor
/// reports it: name, number, url, result, building, scm, parameters.
/// </summary>
public static class JenkinsTrigger
{
    public const string Type = "jenkins";

    /// <summary>The build the body reports, or the problem when it is not a Notification plugin body.</summary>
    public static (JenkinsBuild? Build, string? Problem) Parse(JsonObject body)
    {
        if (TriggerIndex.Text(body["name"]) is not { } job)
        {
            return (null, "A Jenkins notification needs the job's 'name'.");
        }
        if (body["build"] is not JsonObject build)
        {
            return (null, "A Jenkins notification needs a 'build' object.");
        }
        if (build["number"] is not JsonValue n || !n.TryGetValue(out long number) || number < 0)
        {
            return (null, "'build.number' must be a whole number.");
        }
        if (TriggerIndex.Text(build["phase"]) is not { } phase)
        {
            return (null, "A Jenkins notification needs 'build.phase' (STARTED, COMPLETED, FINALIZED ...).");
        }
        return (new JenkinsBuild(job, number, phase.ToUpperInvariant(), TriggerIndex.Text(build["status"])?.ToUpperInvariant(), body), null);
    }

    /// <summary>True for a completed, successful build.</summary>
    public static bool IsSuccessfulCompletion(JenkinsBuild build) =>
        build.Phase is "COMPLETED" or "FINALIZED" && build.Status == "SUCCESS";

    /// <summary>True when <paramref name="trigger"/> watches this job on this master.</summary>
    public static bool Matches(IndexedTrigger trigger, string master, JenkinsBuild build) =>
        string.Equals(trigger.Field("master"), master, StringComparison.OrdinalIgnoreCase)
        && string.Equals(trigger.Field("job"), build.Job, StringComparison.Ordinal);

    /// <summary>The execution's trigger: master, job, buildNumber and buildInfo.</summary>
    public static JsonObject TriggerOf(IndexedTrigger trigger, string master, JenkinsBuild build)
    {
        var b = (JsonObject)build.Body["build"]!;
        var result = (JsonObject)trigger.Trigger.DeepClone();
        result["type"] = Type;
        result["master"] = master;
        result["job"] = build.Job;
        result["buildNumber"] = build.Number;
        result["buildInfo"] = new JsonObject
        {
            ["name"] = build.Job,
            ["number"] = build.Number,
            ["url"] = b["full_url"]?.DeepClone() ?? b["url"]?.DeepClone(),
            ["result"] = build.Status,
            ["building"] = false,
            ["scm"] = b["scm"] is JsonObject scm ? new JsonArray(scm.DeepClone()) : new JsonArray(),
            ["parameters"] = b["parameters"]?.DeepClone() ?? new JsonObject(),
            ["artifacts"] = b["artifacts"]?.DeepClone(),
        };
        return result;
    }
}
