using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Accounts;
using Delivery.Clouddriver.Kubernetes.Api;
using Delivery.Clouddriver.Kubernetes.Contracts;
using Delivery.Clouddriver.Kubernetes.Manifests;
using Delivery.Clouddriver.Operations;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Kubernetes.Operations;

/// <summary>
/// The operations on one live manifest (<see cref="ManifestOperation"/>), as Clouddriver's Kubernetes operations do them:
/// pause/resume (<c>spec.paused</c>), undo (the chosen revision's ReplicaSet template copied back, as <c>kubectl rollout
/// undo</c>), rolling restart (a template annotation), scale (the scale subresource), patch, delete (with propagation), and
/// disable/enable of a ReplicaSet's traffic, and <c>findArtifacts</c> (the live manifest and the artifacts it uses, for
/// Orca's FindArtifactsFromResourceTask). The target is <see cref="ManifestOperation.ManifestName"/>, or with
/// <c>mode: dynamic</c> the one <see cref="ManifestTargets"/> picks in a cluster; <c>mode: label</c> deletes by label
/// selector. Operations that change a workload wait until it is stable again, reporting why to <see cref="OperationProgress"/>.
/// </summary>
public sealed class ManifestActions(IOptions<KubernetesProviderOptions> options, ManifestWaiter waiter, TrafficSwitch traffic, OperationProgress progress, TimeProvider time)
{
    public async Task<JsonObject> RunAsync(KubernetesAccount account, ManifestOperation op, CancellationToken cancellationToken)
    {
        if (!account.Allows(op.Location))
        {
            throw OperationException.Invalid($"Account '{account.Name}' may not use namespace '{op.Location}'.");
        }
        var args = op.Arguments ?? [];
        var api = account.RequireApi();
        var cascading = args["cascading"]?.GetValue<bool>() ?? true;
        var mode = args["mode"]?.GetValue<string>() ?? "static";
        if (mode == "label")
        {
            return op.Action == "delete"
                ? await ManifestTargets.DeleteByLabelsAsync(api, op.Location, args, cascading ? "Background" : "Orphan", cancellationToken)
                : throw OperationException.Invalid($"mode 'label' selects manifests to delete only, not to {op.Action}.");
        }
        var manifestName = mode switch
        {
            "static" => op.ManifestName,
            "dynamic" => await ManifestTargets.ResolveAsync(api, op.Location, args, cancellationToken),
            _ => throw OperationException.Invalid($"Unknown mode '{mode}'; known: static, dynamic, label."),
        };
        var (apiVersion, kindName, name) = ManifestNames.Parse(manifestName);
        var kind = await api.ResolveAsync(apiVersion, kindName, cancellationToken);
        var ns = kind.Namespaced ? op.Location : null;
        var manager = options.Value.FieldManager;
        var live = await api.GetAsync(kind, ns, name, cancellationToken)
            ?? throw OperationException.NotFound($"{manifestName} does not exist in namespace {op.Location} of account {account.Name}.");
        switch (op.Action)
        {
            case "findArtifacts":
                return new JsonObject { ["manifest"] = live, ["artifacts"] = ManifestArtifacts.Used(live) };
            case "delete":
                await api.DeleteAsync(kind, ns, name, cascading ? "Background" : "Orphan", cancellationToken);
                return ManifestTargets.Deleted(op.Location, [manifestName]);
            case "pauseRollout":
                RequireKind(kind, "Deployment");
                live = await api.PatchAsync(kind, ns, name, new JsonObject { ["spec"] = new JsonObject { ["paused"] = true } }, "application/merge-patch+json", manager, null, cancellationToken);
                return Result(live, Stability.Of(live));
            case "resumeRollout":
                RequireKind(kind, "Deployment");
                await api.PatchAsync(kind, ns, name, new JsonObject { ["spec"] = new JsonObject { ["paused"] = null } }, "application/merge-patch+json", manager, null, cancellationToken);
                break;
            case "undoRollout":
                RequireKind(kind, "Deployment");
                await api.PatchAsync(kind, ns, name, await UndoPatchAsync(api, live, ns!, args, cancellationToken), "application/json-patch+json", manager, null, cancellationToken);
                break;
            case "rollingRestart":
                await api.PatchAsync(kind, ns, name, new JsonObject
                {
                    ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["kubectl.kubernetes.io/restartedAt"] = time.GetUtcNow().ToString("O") } } } },
                }, "application/strategic-merge-patch+json", manager, null, cancellationToken);
                break;
            case "scale":
                var replicas = args["replicas"] is { } r && int.TryParse(r.ToString(), out var n) && n >= 0 ? n
                    : throw OperationException.Invalid("scale needs replicas, a whole number of at least 0.");
                await api.PatchAsync(kind, ns, name, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, "application/merge-patch+json", manager, "scale", cancellationToken);
                break;
            case "patch":
                var contentType = (args["mergeStrategy"]?.GetValue<string>() ?? "strategic") switch
                {
                    "strategic" => "application/strategic-merge-patch+json",
                    "merge" => "application/merge-patch+json",
                    "json" => "application/json-patch+json",
                    var other => throw OperationException.Invalid($"Unknown mergeStrategy '{other}'; known: strategic, merge, json."),
                };
                var body = args["patchBody"] ?? throw OperationException.Invalid("patch needs patchBody.");
                try
                {
                    await api.PatchAsync(kind, ns, name, body, contentType, manager, null, cancellationToken);
                }
                catch (KubeApiException e) when (e.Status is 400 or 409 or 415 or 422)
                {
                    throw OperationException.Invalid($"Patching {manifestName} failed: {e.Message}");
                }
                break;
            case "disable" or "enable":
                RequireKind(kind, "ReplicaSet");
                await traffic.SetTrafficAsync(api, kind, ns!, live, op.Action == "enable", cancellationToken);
                break;
            default:
                throw OperationException.Invalid($"Unknown manifest action '{op.Action}'.");
        }
        var (stable, status) = await waiter.WaitStableAsync(api, kind, ns, name, cancellationToken, reason => progress.Report(op.OperationId, reason));
        var result = Result(stable, status);
        result["manifestName"] = manifestName;
        return result;
    }

    private static JsonObject Result(JsonObject live, ManifestStatus status) => new()
    {
        ["manifest"] = live,
        ["status"] = new JsonObject { ["stable"] = status.Stable, ["paused"] = status.Paused, ["reason"] = status.Reason },
    };

    private static void RequireKind(ResourceKind kind, string expected)
    {
        if (kind.Kind != expected)
        {
            throw OperationException.Invalid($"This operation works on a {expected}, not a {kind.Kind}.");
        }
    }

    /// <summary>The JSON patch <c>kubectl rollout undo</c> sends: the chosen revision's pod template (without its hash label).</summary>
    private static async Task<JsonArray> UndoPatchAsync(KubeApi api, JsonObject deployment, string ns, JsonObject args, CancellationToken cancellationToken)
    {
        var replicaSets = await api.ResolveAsync("apps/v1", "ReplicaSet", cancellationToken);
        var uid = deployment["metadata"]!["uid"]!.GetValue<string>();
        var revisions = (await api.ListAsync(replicaSets, ns, null, cancellationToken)).Items
            .Where(rs => rs["metadata"]?["ownerReferences"]?.AsArray().Any(o => o?["uid"]?.GetValue<string>() == uid) == true)
            .Select(rs => (Revision: int.TryParse(SpinnakerMetadata.Annotation(rs, "deployment.kubernetes.io/revision"), out var v) ? v : 0, Rs: rs))
            .OrderByDescending(r => r.Revision).ToList();
        (int Revision, JsonObject Rs) target;
        if (args["revision"] is { } wanted)
        {
            target = revisions.FirstOrDefault(r => r.Revision.ToString() == wanted.ToString());
        }
        else
        {
            var back = args["numRevisionsBack"] is { } b && int.TryParse(b.ToString(), out var k) ? k : 1;
            target = back >= 1 && back < revisions.Count ? revisions[back] : default;
        }
        if (target.Rs is null)
        {
            throw OperationException.Invalid($"Deployment {deployment["metadata"]!["name"]} has no such revision to roll back to (revisions: {string.Join(", ", revisions.Select(r => r.Revision))}).");
        }
        var template = target.Rs["spec"]!["template"]!.DeepClone();
        (template["metadata"]?["labels"] as JsonObject)?.Remove("pod-template-hash");
        return new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = template });
    }
}
