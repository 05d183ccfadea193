namespace Delivery.Contracts.CanaryJudge;

/// <summary>
/// One of a canary's scopes (Kayenta's <c>CanaryScopePair</c>): what to query for the control (baseline) and the
/// experiment (canary). Metrics of a canary config pick their scope by <c>scopeName</c> (default <c>default</c>).
/// </summary>
/// <param name="ScopeName">The name metrics refer to; <c>default</c> when they name none.</param>
/// <param name="ControlScope">The control's scope, e.g. the baseline server group (<c>${scope}</c> in a query template).</param>
/// <param name="ControlLocation">The control's location (region, namespace or account; <c>${location}</c>), if any.</param>
/// <param name="ExperimentScope">The experiment's scope, e.g. the canary server group.</param>
/// <param name="ExperimentLocation">The experiment's location, if any.</param>
public sealed record CanaryScope(string ScopeName, string ControlScope, string? ControlLocation, string ExperimentScope, string? ExperimentLocation);
