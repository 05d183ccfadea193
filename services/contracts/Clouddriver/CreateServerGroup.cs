namespace Delivery.Contracts.Clouddriver;

/// <summary>
/// Command: create the next server group of cluster <c>{application}-{stack}-{freeFormDetails}</c>
/// (named <c>...-v000</c>, <c>-v001</c> ...; a sequence never repeats in a cluster), start
/// <c>capacity.desired</c> instances and register it, enabled, with <see cref="LoadBalancers"/>.
/// Succeeds once every instance is Up. Result: <c>{"serverGroupName", "cluster", "account", "region"}</c>.
/// Spinnaker: Clouddriver's <c>createServerGroup</c> / deploy description.
/// </summary>
/// <param name="Env">Environment variables of every instance; <c>PORT</c> is set by the provider.</param>
/// <param name="HealthCheckPath">Path probed with HTTP GET on each instance (2xx = Up); default <c>/health</c>.</param>
/// <param name="LoadBalancers">Names of existing load balancers that send traffic to this server group.</param>
/// <param name="OperationId">Unique per operation; a redelivered command with the same id is not run again.</param>
/// <param name="Account">Account to operate in (see <c>GET /credentials</c>).</param>
/// <param name="Application">Application name: letters, digits, <c>.</c> and <c>_</c> (Frigga).</param>
/// <param name="Stack">Optional stack: letters, digits, <c>.</c> and <c>_</c>.</param>
/// <param name="FreeFormDetails">Optional detail: letters, digits, <c>.</c>, <c>_</c> and <c>-</c>.</param>
/// <param name="Capacity">Instances to run: 0 &lt;= min &lt;= desired &lt;= max.</param>
/// <param name="Artifact">What each instance runs.</param>
/// <param name="ExecutionId">Correlation: the execution waiting for the result, echoed in <see cref="OperationCompleted"/>.</param>
/// <param name="StageId">Correlation: the stage waiting for the result, echoed back.</param>
/// <param name="TaskId">Correlation: the task waiting for the result, echoed back.</param>
public sealed record CreateServerGroup(
    string OperationId,
    string Account,
    string Application,
    ServerGroupCapacity Capacity,
    ProcessArtifact Artifact,
    string? Stack = null,
    string? FreeFormDetails = null,
    IReadOnlyDictionary<string, string>? Env = null,
    string? HealthCheckPath = null,
    IReadOnlyList<string>? LoadBalancers = null,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null) : IClouddriverOperation;
