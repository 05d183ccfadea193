namespace Delivery.Contracts.Api;

/// <summary>
/// Start an ad-hoc task (Spinnaker's orchestration) for an application: <paramref name="Json"/> is
/// <c>{"description": "...", "job": [{"type": "resizeServerGroup", ...}, ...]}</c>, the job's stages run
/// one after another. Answers 202 with <c>{"ref": "/tasks/{id}"}</c>.
/// </summary>
public sealed record StartOrchestration(string Application, string Json, string User);
