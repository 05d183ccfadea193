using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Contracts;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;
using MassTransit;

namespace Delivery.Clouddriver.Kubernetes.Stages;

/// <summary>
/// The task of the stages on one live manifest (Orca's *ManifestStage): <c>account</c>, <c>location</c> (namespace),
/// <c>manifestName</c> (<c>deployment web</c>), and per stage: <c>replicas</c> (scale), <c>numRevisionsBack</c> or
/// <c>revision</c> (undo), <c>patchBody</c> + <c>options.mergeStrategy</c> (patch), <c>options.cascading</c> (delete).
/// Instead of <c>manifestName</c>: <c>mode: dynamic</c> with <c>cluster</c>, <c>criteria</c> (and <c>kind</c>, <c>app</c>), or,
/// for deleteManifest, <c>mode: label</c> with <c>labelSelectors</c> and <c>kinds</c> (see <c>ManifestTargets</c>).
/// findArtifactsFromResource (Orca's FindArtifactsFromResourceTask) outputs <c>manifest</c> and <c>artifacts</c>.
/// </summary>
internal sealed class ManifestOperationTask(IBus bus) : ManifestTask(bus)
{
    /// <summary>Stage type -> the clouddriver action it runs.</summary>
    public static readonly IReadOnlyDictionary<string, string> Actions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["deleteManifest"] = "delete", ["scaleManifest"] = "scale", ["patchManifest"] = "patch", ["undoRolloutManifest"] = "undoRollout",
        ["pauseRolloutManifest"] = "pauseRollout", ["resumeRolloutManifest"] = "resumeRollout", ["rollingRestartManifest"] = "rollingRestart",
        ["disableManifest"] = "disable", ["enableManifest"] = "enable", ["findArtifactsFromResource"] = "findArtifacts",
    };

    public override string Name => "manifestOperationTask";

    protected override (IClouddriverOperation, string) Plan(JsonObject context, string operationId, TaskContext task)
    {
        var action = Actions[task.Stage.Type];
        var arguments = new JsonObject();
        foreach (var key in (string[])["replicas", "numRevisionsBack", "revision", "patchBody", "mode", "cluster", "criteria", "kind", "app", "labelSelectors", "kinds"])
        {
            if (context[key] is { } value)
            {
                arguments[key] = value.DeepClone();
            }
        }
        if (context["options"] is JsonObject options)
        {
            foreach (var key in (string[])["mergeStrategy", "cascading"])
            {
                if (options[key] is { } value)
                {
                    arguments[key] = value.DeepClone();
                }
            }
        }
        var mode = OptionalText(context, "mode") ?? "static";
        var name = mode == "static" ? Text(context, "manifestName") : OptionalText(context, "manifestName") ?? $"{mode} target";
        var command = new ManifestOperation(operationId, Account(context), action, Text(context, "location"), name, arguments, task.Execution.Id, task.Stage.Id, task.Task.Id);
        return (command, $"{action} of {name}");
    }
}
