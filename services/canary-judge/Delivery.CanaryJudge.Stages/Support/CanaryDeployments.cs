using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.Clouddriver;

namespace Delivery.CanaryJudge.Stages.Support;

/// <summary>
/// The <c>deployments</c> block of a <c>kayentaCanary</c> stage: <c>baseline {cluster, account}</c> (the production
/// cluster: the baseline runs its current version), <c>canary {artifact, env, healthCheckPath}</c> (the new version;
/// missing fields are the baseline's, <c>env</c> is merged over the baseline's), <c>capacity</c> of each of the pair
/// (default 1), <c>trafficPercent</c> each of the pair receives (default 10; production keeps the rest) and
/// <c>loadBalancer</c>, the production balancer the pair joins. The pair's clusters are the production cluster with
/// the detail <c>baseline</c> and <c>canary</c> (Spinnaker's naming), so production's own cluster is never touched.
/// </summary>
internal sealed record CanaryDeployments(
    string Account,
    string Application,
    string Cluster,
    string? Stack,
    string? Detail,
    JsonObject Canary,
    ServerGroupCapacity Capacity,
    int TrafficPercent,
    string LoadBalancer)
{
    /// <summary>Largest share of traffic each of the pair may take: production keeps at least as much as both.</summary>
    public const int MaxTrafficPercent = 33;

    /// <summary>The deployments, or null when the stage judges server groups it did not deploy (scopes given).</summary>
    /// <exception cref="StageInputException">A field is missing or out of range.</exception>
    public static CanaryDeployments? Read(JsonObject stage)
    {
        if (stage["deployments"] is null)
        {
            return null;
        }
        if (stage["deployments"] is not JsonObject d || d["baseline"] is not JsonObject baseline)
        {
            throw new StageInputException("deployments.baseline {cluster, account} is required to deploy a canary pair.");
        }
        var account = StageSettings.Text(baseline, "account") ?? StageSettings.Text(baseline, "credentials")
            ?? throw new StageInputException("deployments.baseline.account is required.");
        var cluster = StageSettings.Text(baseline, "cluster") ?? throw new StageInputException("deployments.baseline.cluster is required.");
        var parts = cluster.Split('-', 3);
        var application = StageSettings.Text(baseline, "application") ?? parts[0];
        var canary = d["canary"] as JsonObject ?? throw new StageInputException("deployments.canary {artifact, env} is required: what the canary runs.");
        var capacity = d["capacity"] is null ? new ServerGroupCapacity(1, 1, 1) : StageSettings.Capacity(d);
        if (capacity.Desired is < 1 or > 20)
        {
            throw new StageInputException("deployments.capacity.desired must be 1..20 instances.");
        }
        var traffic = StageSettings.Int(d, "trafficPercent", 10);
        if (traffic is < 1 or > MaxTrafficPercent)
        {
            throw new StageInputException($"deployments.trafficPercent (the share of each of baseline and canary) must be 1..{MaxTrafficPercent}.");
        }
        var balancer = StageSettings.Text(d, "loadBalancer") ?? throw new StageInputException("deployments.loadBalancer (the production load balancer) is required.");
        return new CanaryDeployments(account, application, cluster, parts.Length > 1 ? parts[1] : null, parts.Length > 2 ? parts[2] : null,
            canary, capacity, traffic, balancer);
    }

    /// <summary>The detail of the baseline's or canary's cluster: the production detail, then <paramref name="role"/>.</summary>
    public string DetailOf(string role) => Detail is { Length: > 0 } ? $"{Detail}-{role}" : role;

    /// <summary>The cluster of the baseline or canary server group.</summary>
    public string ClusterOf(string role) => $"{Application}-{Stack}-{DetailOf(role)}";
}
