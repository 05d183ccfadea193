using System.Text.Json.Nodes;
using Delivery.Orchestrator.Integrations.Jenkins;

namespace Delivery.Orchestrator.Tasks.Jenkins;

/// <summary>The <c>master</c> and <c>job</c> of a <c>jenkins</c> stage, checked against the configured masters.</summary>
public sealed record JenkinsStageSettings(string MasterName, JenkinsMasterOptions Master, string Job)
{
    public static JenkinsStageSettings? Read(JsonObject context, JenkinsClient client, out string? problem)
    {
        problem = null;
        var master = ContextValues.String(context["master"]);
        var job = ContextValues.String(context["job"]);
        if (string.IsNullOrWhiteSpace(master) || string.IsNullOrWhiteSpace(job))
        {
            problem = "The jenkins stage needs 'master' and 'job'.";
            return null;
        }
        if (client.Master(master) is not { } options)
        {
            var known = client.MasterNames;
            problem = $"Jenkins master '{master}' is not configured (Delivery:Jenkins:Masters:{master}:Address); "
                + (known.Count == 0 ? "no masters are configured." : $"configured masters: {string.Join(", ", known)}.");
            return null;
        }
        return new JenkinsStageSettings(master, options, job.Trim('/'));
    }

    public long? BuildNumber(JsonObject context) => ContextValues.Number(context["buildNumber"]) is { } n ? (long)n : null;

    public string Describe(long? number = null) => number is { } n ? $"Jenkins job '{Job}' #{n} on master '{MasterName}'" : $"Jenkins job '{Job}' on master '{MasterName}'";
}
