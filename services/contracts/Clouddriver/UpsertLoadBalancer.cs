namespace Delivery.Contracts.Clouddriver;

/// <summary>
/// Command: create a load balancer (for <c>local</c>: an HTTP listener on 127.0.0.1) or update an
/// existing one. Result: <c>{"loadBalancerName", "account", "url"}</c>.
/// </summary>
/// <param name="Name">Frigga cluster-style name <c>app[-stack[-detail]]</c>, without a version.</param>
/// <param name="Port">Port to listen on; null or 0 picks a free one (kept when the balancer exists).</param>
/// <param name="Weights">
/// Traffic percent per server group name (canary splits). Named server groups get their share;
/// the other enabled ones share the rest by healthy instance count. Null or empty: every enabled
/// server group is weighted by its healthy instance count.
/// </param>
/// <param name="OperationId">Unique per operation; a redelivered command with the same id is not run again.</param>
/// <param name="Account">Account to operate in (see <c>GET /credentials</c>).</param>
/// <param name="ExecutionId">Correlation: the execution waiting for the result, echoed in <see cref="OperationCompleted"/>.</param>
/// <param name="StageId">Correlation: the stage waiting for the result, echoed back.</param>
/// <param name="TaskId">Correlation: the task waiting for the result, echoed back.</param>
public sealed record UpsertLoadBalancer(
    string OperationId,
    string Account,
    string Name,
    int? Port = null,
    IReadOnlyDictionary<string, int>? Weights = null,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null) : IClouddriverOperation;
