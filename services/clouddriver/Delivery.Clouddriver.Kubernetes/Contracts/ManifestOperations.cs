using System.Text.Json.Nodes;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Kubernetes.Contracts;

/// <summary>
/// Command: an operation on one live manifest, <see cref="ManifestName"/> as Spinnaker names it (<c>deployment web</c>) in
/// namespace <see cref="Location"/>. <see cref="Action"/>: <c>pauseRollout</c>, <c>resumeRollout</c>, <c>undoRollout</c>
/// (<c>numRevisionsBack</c> or <c>revision</c> in <see cref="Arguments"/>), <c>rollingRestart</c>, <c>scale</c>
/// (<c>replicas</c>), <c>patch</c> (<c>patchBody</c>, <c>mergeStrategy</c>: strategic | merge | json), <c>delete</c>
/// (<c>cascading</c>, default true), <c>disable</c> / <c>enable</c> (a ReplicaSet's traffic through its load balancers),
/// <c>findArtifacts</c> (result: <c>manifest</c> and the <c>artifacts</c> it uses). Instead of a name, <see cref="Arguments"/>
/// may give <c>mode: dynamic</c> (<c>cluster</c>, <c>criteria</c>, optional <c>kind</c>, <c>app</c>) or, for delete,
/// <c>mode: label</c> (<c>labelSelectors.selectors</c>, <c>kinds</c>). Result: <c>manifest</c> (the live object),
/// <c>status</c> and the resolved <c>manifestName</c>; a delete's: <c>deleted</c> and <c>manifestNamesByNamespace</c>.
/// </summary>
public sealed record ManifestOperation(
    string OperationId,
    string Account,
    string Action,
    string Location,
    string ManifestName,
    JsonObject? Arguments = null,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null) : IClouddriverOperation;
